from django.apps import AppConfig


class RegulatorsConfig(AppConfig):
    name = "regulators"
    verbose_name = "Regulators"

    def ready(self) -> None:
        from .profiles import profiles

        profiles()  # a data file that states a rule without its source stops the start
