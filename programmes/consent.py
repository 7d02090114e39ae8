"""A student's consent to share with a cohort's leaders: given, changed or revoked at any time,
effective on the leaders' next request."""

from __future__ import annotations

from django.utils import timezone

from .models import Membership


def change_sharing(membership: Membership, *, shared_year: int | None) -> Membership:
    """Share the whole portfolio (``shared_year`` None) or one CPD year from now on; this also
    gives consent again after it was revoked."""
    membership.shared_year = shared_year
    membership.consented_at = timezone.now()
    membership.revoked_at = None
    membership.save(update_fields=["shared_year", "consented_at", "revoked_at"])
    return membership


def stop_sharing(membership: Membership) -> Membership:
    if membership.revoked_at is None:
        membership.revoked_at = timezone.now()
        membership.save(update_fields=["revoked_at"])
    return membership
