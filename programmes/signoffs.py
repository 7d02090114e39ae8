"""A practitioner's sign-offs, for their dashboard and their evidence packs: a pack carries the
sign-offs of the years its period covers (``pack_signoffs``, registered with packs in apps.py)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from core.cpd_year import cpd_year_containing

from .models import SignOff


class DateRange(Protocol):
    """A CpdYear, or an export's Period: anything with a first and a last day."""

    start: dt.date
    end: dt.date


def signoffs_for(user, period: DateRange | None = None):
    """The sign-offs, not revoked, of ``user``'s submissions, newest first; with ``period``,
    only those of the CPD years that overlap it."""
    signoffs = SignOff.objects.filter(
        submission__membership__student=user, revoked_at=None
    ).select_related("submission__membership__cohort__programme", "credential")
    if period is not None:
        signoffs = signoffs.filter(
            submission__year__range=(
                cpd_year_containing(period.start).end.year,
                cpd_year_containing(period.end).end.year,
            )
        )
    return signoffs


def _verify_address(signoff: SignOff) -> str:
    """The public page of the credential issued for ``signoff`` (the credentials app's), or
    nothing for a sign-off made before credentials were issued."""
    try:
        credential = signoff.credential
    except ObjectDoesNotExist:
        return ""
    return settings.SITE_URL + reverse("credentials:credential", args=[credential.pk])


def pack_signoffs(owner, period: DateRange) -> list[dict[str, str]]:
    """Sign-offs as an evidence pack shows them (packs.building.register_signoff_source)."""
    return [
        {
            "date": signoff.signed_on.isoformat(),
            "date_label": f"{signoff.signed_on:%-d %b %Y}",
            "by": f"{signoff.name}, {signoff.role}",
            "programme": signoff.submission.membership.cohort.programme.name,
            "what": signoff.statement,
            "verify": _verify_address(signoff),
        }
        for signoff in signoffs_for(owner, period)
    ]
