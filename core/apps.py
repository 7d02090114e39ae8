from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from .fragments import SITE, renewal_of

        # A deploy migrates and may bring new templates: no fragment rendered before it is
        # read after it.
        post_migrate.connect(
            renewal_of(SITE), sender=self, weak=False, dispatch_uid="renew-fragments"
        )
