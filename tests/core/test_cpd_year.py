import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.cpd_year import cpd_year_containing, cpd_year_ending_in

pytestmark = pytest.mark.calendar  # which CPD year today falls in

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (dt.date(2026, 11, 30), dt.date(2025, 12, 1), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 1), dt.date(2027, 11, 30)),
        (dt.date(2026, 1, 1), dt.date(2025, 12, 1), dt.date(2026, 11, 30)),
        (dt.date(2028, 2, 29), dt.date(2027, 12, 1), dt.date(2028, 11, 30)),
    ],
)
def test_year_runs_from_1_december_to_30_november(day, start, end):
    year = cpd_year_containing(day)
    assert (year.start, year.end) == (start, end)


def test_entry_at_2359_on_30_november_london_is_in_the_year_and_1_december_is_not():
    year = cpd_year_containing(dt.date(2026, 6, 1))
    last_minute = dt.datetime(2026, 11, 30, 23, 59, tzinfo=LONDON)
    first_minute_after = dt.datetime(2026, 12, 1, 0, 0, tzinfo=LONDON)
    assert year.contains(timezone.localdate(last_minute))
    assert not year.contains(timezone.localdate(first_minute_after))
    assert year.deadline == last_minute


def test_label_slug_and_months():
    year = cpd_year_ending_in(2026)
    assert year.label == "2025–26"
    assert year.slug == "2026"
    months = year.months()
    assert len(months) == 12
    assert months[0] == dt.date(2025, 12, 1)
    assert months[-1] == dt.date(2026, 11, 1)
    assert year.previous() == cpd_year_ending_in(2025)


def test_days_left_counts_down_to_30_november_and_stops_at_zero():
    year = cpd_year_ending_in(2026)
    assert year.days_left(dt.date(2026, 11, 21)) == 9
    assert year.days_left(dt.date(2026, 11, 30)) == 0
    assert year.days_left(dt.date(2026, 12, 5)) == 0


def test_start_of_year_is_configurable(settings):
    settings.CPD_YEAR_START_MONTH = 1
    settings.CPD_YEAR_START_DAY = 1
    year = cpd_year_containing(dt.date(2026, 11, 30))
    assert (year.start, year.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert year.label == "2026"
    assert cpd_year_ending_in(2026) == year
    settings.CPD_YEAR_START_MONTH = 9
    assert cpd_year_ending_in(2026).start == dt.date(2025, 9, 1)
