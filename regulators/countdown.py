"""What a practitioner's renewal (or declaration) deadline means today, in the words her
dashboard and her regulator's page show: how long is left, by when, and whether it is open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .periods import RegistrationPeriod
from .profiles import RegulatorProfile


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


@dataclass(frozen=True)
class Countdown:
    headline: str  # "Renewal due in 83 days"
    detail: str  # ": complete it by 22 February 2029, 21 days before your renewal date."
    window: str  # "Your renewal opened on 17 December 2028."
    overdue: bool


def countdown(profile: RegulatorProfile, period: RegistrationPeriod, today: dt.date) -> Countdown:
    renewal = profile.renewal
    name = renewal.name
    before = (
        f", {renewal.due_days_before} days before your {name} date"
        if renewal.due_days_before
        else ""
    )
    days = period.days_left(today)
    if period.is_overdue(today):
        return Countdown(
            headline=f"Your {name} is overdue",
            detail=f": it was due by {_day(period.due_on)}{before}. Complete it as soon as you "
            f"can: your {profile.cycle.period_name} ends on {_day(period.end)}.",
            window="",
            overdue=True,
        )
    if days == 0:
        headline = f"{name[0].upper()}{name[1:]} due today"
        detail = f": complete it by 23:59{before}."
    else:
        headline = f"{name[0].upper()}{name[1:]} due in {days} day{'s' if days != 1 else ''}"
        detail = f": complete it by {_day(period.due_on)}{before}."
    if period.is_open(today):
        window = f"Your {name} opened on {_day(period.opens_on)}."
    else:
        window = f"Your {name} opens on {_day(period.opens_on)}."
    return Countdown(headline, detail, window, overdue=False)
