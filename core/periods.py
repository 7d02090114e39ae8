"""The periods a summary or an evidence pack can cover: a CPD year, the last two years (the
span of an HCPC audit), the practitioner's own registration period under her regulator, or any
dates she chooses."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .cpd_year import cpd_year_containing


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class RegistrationPresets:
    """A practitioner's own registration periods under a regulator whose period is not the
    portal's CPD year, to offer first: ``period_name`` as the regulator calls it."""

    regulator_name: str
    period_name: str  # "registration period", "declaration year"
    current: Period
    previous: Period | None


def period_presets(
    today: dt.date, registration: RegistrationPresets | None = None
) -> dict[str, tuple[str, Period]]:
    """The named periods offered first, by key: (what the choice says, the period); her own
    registration periods first when ``registration`` gives them."""
    current = cpd_year_containing(today)
    previous = current.previous()
    presets = {}
    if registration is not None:
        name, own = registration.regulator_name, registration.current
        presets["registration_period"] = (
            f"Your {registration.period_name} ({name}: {own.label})",
            own,
        )
        if registration.previous is not None:
            presets["previous_registration_period"] = (
                f"Your previous {registration.period_name} ({name}: {registration.previous.label})",
                registration.previous,
            )
    return presets | {
        "current_year": (
            f"This CPD year ({current.label})",
            Period(current.start, current.end),
        ),
        "previous_year": (
            f"Last CPD year ({previous.label})",
            Period(previous.start, previous.end),
        ),
        "last_two_years": (
            f"The last two CPD years, an HCPC audit's span ({previous.label} and {current.label})",
            Period(previous.start, current.end),
        ),
    }


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
