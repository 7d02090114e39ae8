from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resource library"

    def ready(self) -> None:
        from portfolio.starting_values import register_starting_values

        from .log_this import entry_initial_from_query

        register_starting_values(entry_initial_from_query)
