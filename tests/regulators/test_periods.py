"""Each regulator's period and deadline, on every moment of the calendar matrix: a registration
date is chosen so that the deadline falls yesterday, today or tomorrow of the pinned day."""

import datetime as dt

import pytest
from django.utils import timezone

from core.periods import add_months
from regulators.periods import period_containing
from regulators.profiles import profile

pytestmark = pytest.mark.calendar

PER_PERSON = ["scw", "sssc", "niscc", "hcpc"]


@pytest.mark.parametrize("code", PER_PERSON)
@pytest.mark.parametrize("offset", [-1, 0, 1, 30])
def test_a_per_person_deadline_around_today(code, offset):
    today = timezone.localdate()
    regulator = profile(code)
    months = 12 * regulator.cycle.years
    days_before = max(regulator.renewal.due_days_before, 1)
    wanted_renewal = today + dt.timedelta(days=offset + days_before)
    registered_on = add_months(wanted_renewal, -months)
    renewal_on = add_months(registered_on, months)  # a day earlier when 29 February clamps
    due_on = renewal_on - dt.timedelta(days=days_before)

    period = period_containing(regulator, today, registered_on)

    assert period.start <= today <= period.end
    if today < renewal_on:
        assert period.renewal_on == renewal_on
        assert period.due_on == due_on
        assert period.days_left(today) == max((due_on - today).days, 0)
        assert period.is_overdue(today) == (today > due_on)
        assert period.is_open(today) == (period.opens_on <= today <= due_on)
    else:  # the deadline was the period's last day, now past: a new period has begun
        assert period.start == renewal_on
        assert not period.is_overdue(today)
        assert period.days_left(today) > 300


def test_wales_due_21_days_before_the_renewal_date_and_open_86_days_before():
    period = period_containing(profile("scw"), dt.date(2026, 12, 1), dt.date(2020, 3, 15))
    assert (period.start, period.end) == (dt.date(2026, 3, 15), dt.date(2029, 3, 14))
    assert period.opens_on == dt.date(2029, 3, 15) - dt.timedelta(days=86)
    assert period.due_on == dt.date(2029, 2, 22)


def test_scotland_declares_yearly_from_a_29_february_registration():
    sssc = profile("sssc")
    registered = dt.date(2024, 2, 29)
    assert period_containing(sssc, dt.date(2027, 2, 28), registered).start == dt.date(2027, 2, 28)
    leap = period_containing(sssc, dt.date(2028, 2, 29), registered)
    assert (leap.start, leap.end) == (dt.date(2028, 2, 29), dt.date(2029, 2, 27))


def test_social_work_englands_year_is_everyones_and_its_window_opens_on_1_september():
    today = timezone.localdate()
    swe = profile("swe")
    period = period_containing(swe, today)
    assert period == period_containing(swe, today, dt.date(2001, 5, 5))
    assert (period.start.month, period.start.day, period.end.month, period.end.day) == (
        12,
        1,
        11,
        30,
    )
    assert period.due_on == period.end
    assert period.opens_on == dt.date(period.end.year, 9, 1)


def test_a_per_person_cycle_without_a_date_has_no_period():
    assert period_containing(profile("niscc"), timezone.localdate(), None) is None


def test_every_day_of_twelve_years_falls_in_exactly_one_period_of_each_cycle():
    for code in PER_PERSON:
        regulator = profile(code)
        for registered_on in (dt.date(2016, 2, 29), dt.date(2017, 1, 31), dt.date(2015, 12, 1)):
            day = registered_on
            previous = None
            while day < registered_on + dt.timedelta(days=12 * 366):
                period = period_containing(regulator, day, registered_on)
                assert period.start <= day <= period.end
                if previous is not None and previous != period:
                    assert period.start == previous.end + dt.timedelta(days=1)
                previous = period
                day += dt.timedelta(days=7)
