from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from core.fragments import renew_site_version

        from .models import Capability, Framework

        # Every log and dashboard shows the frameworks' capabilities; an admin's edit of one
        # (in the admin, so through a model's save or delete) renews every cached page.
        for model in (Framework, Capability):
            for signal in (post_save, post_delete):
                signal.connect(renew_site_version, sender=model, dispatch_uid=f"renew-{model}")
