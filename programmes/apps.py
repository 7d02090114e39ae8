from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from packs.building import register_signoff_source

        from .signoffs import pack_signoffs

        register_signoff_source(pack_signoffs)
        _renew_cached_pages_on_renames()


def _renew_cached_pages_on_renames() -> None:
    """A programme's name is on its students' cached dashboards, beside their sign-offs
    (core/fragments.py). Renamed in the admin, rarely: every cached page is renewed."""
    from django.db.models.signals import post_delete, post_save

    from core.fragments import SITE, renewal_of

    from .models import Cohort, Programme

    renew_site = renewal_of(SITE)
    for model in (Programme, Cohort):
        for signal in (post_save, post_delete):
            signal.connect(renew_site, sender=model, weak=False, dispatch_uid=f"site-{model}")
