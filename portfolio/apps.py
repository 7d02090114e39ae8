from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from core.fragments import SITE, renewal_of

        from .entries import remove_evidence_of
        from .models import Capability, Framework

        # Every log and dashboard shows the frameworks' capabilities; an admin's edit of one
        # (in the admin, so through a model's save or delete) renews every cached page.
        renew_site = renewal_of(SITE)
        for model in (Framework, Capability):
            for signal in (post_save, post_delete):
                signal.connect(renew_site, sender=model, weak=False, dispatch_uid=f"site-{model}")

        register_step(remove_evidence_of)
