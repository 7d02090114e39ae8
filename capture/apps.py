from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "capture"
    verbose_name = "Quick capture"

    def ready(self) -> None:
        from portfolio.starting_values import register_starting_values

        from .quick_capture import initial_from_shared_link

        register_starting_values(initial_from_shared_link)
