"""A practitioner's sign-offs, for their dashboard and their evidence exports.

The evidence exports (portfolio's background-work issue) should call ``signoffs_for(owner,
period)`` with the export's period, so a pack carries the sign-offs of the years it covers."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from portfolio.cpd_year import cpd_year_containing

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
