from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the bearer scheme with drf-spectacular, which finds extensions by import.
        from . import schema  # noqa: F401
