"""A student's consent to share with a cohort's leaders: given, changed or revoked at any time,
effective on the leaders' next request, and each change recorded in the membership's audit
trail, which both the student and the cohort's leaders read."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_ending_in

from .audit import record_consent
from .models import AuditAction, Membership, NotificationKind
from .notifications import notify


def what_is_shared(shared_year: int | None) -> str:
    """What a consent shares, in words both the student and the leaders read."""
    if shared_year is None:
        return "the whole portfolio"
    return f"CPD year {cpd_year_ending_in(shared_year).label} only"


def record_joining(membership: Membership) -> None:
    """The consent given by accepting an invitation: joining, or joining again a cohort left
    earlier."""
    record_consent(
        membership,
        action=AuditAction.JOINED,
        detail=f"Sharing {what_is_shared(membership.shared_year)}",
    )


@transaction.atomic
def change_sharing(membership: Membership, *, shared_year: int | None) -> Membership:
    """Share the whole portfolio (``shared_year`` None) or one CPD year from now on; this also
    gives consent again after it was revoked. Choosing what is already shared changes and
    records nothing."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_sharing and membership.shared_year == shared_year:
        return membership
    if membership.is_sharing:
        action = AuditAction.SHARING_CHANGED
        detail = f"From {what_is_shared(membership.shared_year)} to {what_is_shared(shared_year)}"
    else:
        action, detail = AuditAction.SHARING_STARTED, f"Sharing {what_is_shared(shared_year)}"
    membership.shared_year = shared_year
    membership.consented_at = timezone.now()
    membership.revoked_at = None
    membership.save(update_fields=["shared_year", "consented_at", "revoked_at"])
    record_consent(membership, action=action, detail=detail)
    return membership


@transaction.atomic
def stop_sharing(membership: Membership) -> Membership:
    """Revoke the consent; the programme's leaders are told (in the app and by email), since
    the student's rows leave their overview without a word otherwise."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.revoked_at is None:
        membership.revoked_at = timezone.now()
        membership.save(update_fields=["revoked_at"])
        record_consent(
            membership,
            action=AuditAction.SHARING_STOPPED,
            detail=f"Had shared {what_is_shared(membership.shared_year)}",
        )
        notify(
            membership.cohort.programme.leaders.all(),
            kind=NotificationKind.SHARING,
            text=f"{membership.student_name} stopped sharing with {membership.cohort}: you can "
            "no longer see their portfolio or submissions.",
            url=reverse("programmes:cohort_records", args=[membership.cohort_id]),
        )
    return membership
