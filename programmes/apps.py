from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from accounts.erasure import register_check, register_step
        from packs.building import register_signoff_source

        from . import leadership
        from .erasure import keep_records_of, last_leader_of
        from .signoffs import pack_signoffs

        register_signoff_source(pack_signoffs)
        register_check(last_leader_of)
        register_step(keep_records_of)
        leadership.connect()
        _renew_cached_pages_on_renames()
        _renew_overviews_on_every_change()


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


def _renew_overviews_on_every_change() -> None:
    """A cohort's overview is cached until anything on it changes (programmes.overview): a
    student's entries (through her portfolio's version), her account (her name), a membership
    (joining, sharing, withdrawing), a submission (submitting, a decision) or an invitation,
    however it is changed: these save through the models."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from core.fragments import cohort_scope, on_owner_renewal, renew

    from .models import Invitation, Membership, Submission
    from .overview import renew_overviews_of

    def cohort_row_changed(instance: Membership | Invitation, **_arguments) -> None:
        renew(cohort_scope(instance.cohort_id))

    def submission_changed(instance: Submission, **_arguments) -> None:
        cohort = Membership.objects.filter(pk=instance.membership_id).values("cohort_id")
        for row in cohort:
            renew(cohort_scope(row["cohort_id"]))

    def account_changed(instance, **_arguments) -> None:
        renew_overviews_of(instance.pk)

    on_owner_renewal(renew_overviews_of)
    for model, receiver in (
        (Membership, cohort_row_changed),
        (Invitation, cohort_row_changed),  # the overview counts the invitations sent
        (Submission, submission_changed),
        (get_user_model(), account_changed),
    ):
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"overview-{model}")
