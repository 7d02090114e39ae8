"""A practitioner's registration period under her regulator's cycle: when it starts and ends,
when its renewal (or declaration) opens and by when it is due.

A fixed cycle (Social Work England's 1 December to 30 November) is the same for everyone; a
cycle from the registration date (Wales and Northern Ireland every three years, the SSSC's
yearly declaration, the HCPC every two) runs from each person's own date, so it needs that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.periods import add_months

from .profiles import RegulatorProfile


@dataclass(frozen=True)
class RegistrationPeriod:
    start: dt.date
    end: dt.date
    renewal_on: dt.date  # the day the next period starts
    opens_on: dt.date  # the renewal or declaration can be made from this day
    due_on: dt.date  # and must be made by the end of this day

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, today: dt.date) -> int:
        """Whole days from ``today`` to the day it is due; 0 on that day and after."""
        return max((self.due_on - today).days, 0)

    def is_open(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.due_on

    def is_overdue(self, today: dt.date) -> bool:
        return today > self.due_on


def _period(profile: RegulatorProfile, start: dt.date, end: dt.date) -> RegistrationPeriod:
    renewal = profile.renewal
    renewal_on = end + dt.timedelta(days=1)
    # Due "N days before the renewal date"; never after the period's own last day.
    due_on = renewal_on - dt.timedelta(days=max(renewal.due_days_before, 1))
    if renewal.opens_on is not None:
        month, day = renewal.opens_on
        opens_on = dt.date(end.year, month, day)
        if opens_on > due_on:
            opens_on = dt.date(end.year - 1, month, day)
    else:
        opens_on = renewal_on - dt.timedelta(days=renewal.opens_days_before or 0)
    return RegistrationPeriod(start, end, renewal_on, max(opens_on, start), due_on)


def _fixed_start(profile: RegulatorProfile, year: int) -> dt.date:
    month, day = profile.cycle.starts
    return dt.date(year, month, day)


def period_containing(
    profile: RegulatorProfile, day: dt.date, registered_on: dt.date | None = None
) -> RegistrationPeriod | None:
    """The period of ``profile``'s cycle that ``day`` falls in, for someone first registered
    on ``registered_on``; None where the cycle runs from a registration date not given. A day
    before the registration date falls in the first period."""
    months = 12 * profile.cycle.years
    if not profile.cycle.per_person:
        start = _fixed_start(profile, day.year)
        if day < start:
            start = _fixed_start(profile, day.year - 1)
        return _period(profile, start, add_months(start, months) - dt.timedelta(days=1))
    if registered_on is None:
        return None
    elapsed = (day.year - registered_on.year) * 12 + day.month - registered_on.month
    index = max(elapsed // months, 0)
    start = add_months(registered_on, index * months)
    if start > day and index:
        index -= 1
        start = add_months(registered_on, index * months)
    end = add_months(registered_on, (index + 1) * months) - dt.timedelta(days=1)
    if day > end:  # the anniversary falls later in the month than ``day``'s month suggests
        start, end = end + dt.timedelta(days=1), add_months(registered_on, (index + 2) * months)
        end -= dt.timedelta(days=1)
    return _period(profile, start, end)


def previous_period(
    profile: RegulatorProfile, period: RegistrationPeriod, registered_on: dt.date | None = None
) -> RegistrationPeriod | None:
    return period_containing(profile, period.start - dt.timedelta(days=1), registered_on)
