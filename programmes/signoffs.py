"""A practitioner's sign-offs, for their dashboard and their evidence packs: a pack carries the
sign-offs of the years its period covers (``pack_signoffs``, registered with packs in apps.py)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from core.cpd_year import cpd_year_containing

from .models import SignOff


class DateRange(Protocol):
    """A CpdYear, or an export's Period: anything with a first and a last day."""

    start: dt.date
    end: dt.date


def signoffs_for(user, period: DateRange | None = None):
    """The sign-offs of ``user``'s submissions, newest first; with ``period``, only those of
    the CPD years that overlap it."""
    signoffs = SignOff.objects.filter(submission__membership__student=user).select_related(
        "submission__membership__cohort__programme"
    )
    if period is not None:
        signoffs = signoffs.filter(
            submission__year__range=(
                cpd_year_containing(period.start).end.year,
                cpd_year_containing(period.end).end.year,
            )
        )
    return signoffs


def pack_signoffs(owner, period: DateRange) -> list[dict[str, str]]:
    """Sign-offs as an evidence pack shows them (packs.building.register_signoff_source)."""
    return [
        {
            "date": signoff.signed_on.isoformat(),
            "date_label": f"{signoff.signed_on:%-d %b %Y}",
            "by": f"{signoff.name}, {signoff.role}",
            "programme": signoff.submission.membership.cohort.programme.name,
            "what": signoff.statement,
        }
        for signoff in signoffs_for(owner, period)
    ]
