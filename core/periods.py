"""The periods a summary or an evidence pack can cover: a CPD year, the last two years (the
span of an HCPC audit), or any dates the practitioner chooses."""

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


def period_presets(today: dt.date) -> dict[str, tuple[str, Period]]:
    """The named periods offered first, by key: (what the choice says, the period)."""
    current = cpd_year_containing(today)
    previous = current.previous()
    return {
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
