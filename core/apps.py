from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.urls import register_converter

        from . import checks  # noqa: F401 - registers the production checks
        from .converters import IdConverter
        from .fragments import SITE, renewal_of

        # Before any app's URLs are read: they name their ids <id:pk>.
        register_converter(IdConverter, "id")

        # A deploy migrates and may bring new templates: no fragment rendered before it is
        # read after it.
        post_migrate.connect(
            renewal_of(SITE), sender=self, weak=False, dispatch_uid="renew-fragments"
        )
