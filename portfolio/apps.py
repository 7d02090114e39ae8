from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from core.fragments import SITE, renewal_of
        from core.leftovers import register_abandoned_rows, register_stored_files

        from .entries import remove_evidence_of
        from .models import Capability, Framework, PendingEvidence
        from .pending_evidence import remove_held_files_of

        # Every log and dashboard shows the frameworks' capabilities; an admin's edit of one
        # (in the admin, so through a model's save or delete) renews every cached page.
        renew_site = renewal_of(SITE)
        for model in (Framework, Capability):
            for signal in (post_save, post_delete):
                signal.connect(renew_site, sender=model, weak=False, dispatch_uid=f"site-{model}")

        register_step(remove_evidence_of)
        register_step(remove_held_files_of)
        # Files held for an entry's form until it is saved: abandoned ones are swept.
        register_stored_files("pending-evidence", PendingEvidence)
        register_abandoned_rows(PendingEvidence, "PENDING_EVIDENCE_KEEP_SECONDS")
