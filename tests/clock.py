"""The moment the test suite lives in, never the real clock.

Every test starts at one pinned moment, London wall-clock time: ``TODAY`` from the environment
(``2028-02-29``, which means midday, or ``2027-11-30T23:59:30``), or ``DEFAULT_MOMENT``. Tests that
are about particular dates pin their own: ``@pytest.mark.time_machine(london_moment("..."))``, or
``time_machine.move_to(...)`` inside the test.

``CALENDAR`` is the matrix ``make test`` runs the date-sensitive tests on (``-m calendar``): the
edges of the CPD year, a leap day, the calendar year's turn and the two nights the clocks change.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# An ordinary day well inside a CPD year, so that a test which forgets to pin the date it is
# about fails on the matrix, not on whatever day CI happens to run.
DEFAULT_MOMENT = "2027-05-12T10:30"

CALENDAR = (
    "2026-12-01T00:00:30",  # the first minute of a CPD year
    "2027-11-30T23:59:30",  # the last minute of one, when records are due
    "2028-02-29",  # a leap day
    "2026-12-31T23:59:30",  # the calendar year's last minute, inside a CPD year
    "2027-01-01T00:00:30",
    "2027-03-28T00:59:30",  # 30 seconds before the clocks go forward (01:00 GMT is 02:00 BST)
    "2027-10-31T01:30",  # the hour that happens twice; the first time, still BST
)


def london_moment(text: str) -> dt.datetime:
    """``text`` (an ISO date or date and time) as an aware London moment; a date alone is
    midday. An hour that happens twice is its first occurrence (zoneinfo's fold=0)."""
    if "T" in text:
        moment = dt.datetime.fromisoformat(text)
    else:
        moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(12))
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def pinned_moment() -> dt.datetime:
    """The suite's "now", in UTC: time-machine then sets the process's own zone to UTC, as on a
    server, so nothing can lean on the machine's local time instead of settings.TIME_ZONE."""
    return london_moment(os.environ.get("TODAY") or DEFAULT_MOMENT).astimezone(dt.UTC)


if __name__ == "__main__":  # the Makefile reads the matrix from here: python -m tests.clock
    print(*CALENDAR)
