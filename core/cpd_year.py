"""The CPD (registration) year: by default 1 December to 30 November, set in settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings


@dataclass(frozen=True)
class CpdYear:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}–{self.end.strftime('%y')}"

    @property
    def slug(self) -> str:
        """The year it ends in, which is how the regulator names a renewal."""
        return str(self.end.year)

    @property
    def deadline(self) -> dt.datetime:
        """23:59 London time on the last day, when records are due."""
        return dt.datetime.combine(self.end, dt.time(23, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, today: dt.date) -> int:
        return max((self.end - today).days, 0)

    def months(self) -> list[dt.date]:
        """The first day of each month the year touches, in order."""
        months = []
        cursor = self.start.replace(day=1)
        while cursor <= self.end:
            months.append(cursor)
            cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
        return months

    def previous(self) -> CpdYear:
        return cpd_year_containing(self.start - dt.timedelta(days=1))


def _start_in(calendar_year: int) -> dt.date:
    return dt.date(calendar_year, settings.CPD_YEAR_START_MONTH, settings.CPD_YEAR_START_DAY)


def cpd_year_containing(day: dt.date) -> CpdYear:
    start = _start_in(day.year)
    if day < start:
        start = _start_in(day.year - 1)
    next_start = _start_in(start.year + 1)
    return CpdYear(start=start, end=next_start - dt.timedelta(days=1))


def cpd_year_ending_in(calendar_year: int) -> CpdYear:
    """The year named by the calendar year it ends in (the '2026' renewal)."""
    last_day = _start_in(calendar_year) - dt.timedelta(days=1)
    if last_day.year != calendar_year:  # a year that starts on 1 January ends on 31 December
        last_day = _start_in(calendar_year + 1) - dt.timedelta(days=1)
    return cpd_year_containing(last_day)
