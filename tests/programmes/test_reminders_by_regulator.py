"""Reminders follow each practitioner's own regulator: days before her own renewal or
declaration is due, naming her regulator, her deadline and what her regulator's checklist
still misses; once per point of each period; never without a deadline to count down to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.periods import add_months
from programmes.models import Notification, ReminderSent
from programmes.reminders import due_reminders, send_due_reminders
from regulators.models import Registration
from regulators.periods import period_containing
from regulators.profiles import profile
from regulators.registrations import confirm, set_registration
from tests.factories import make_entry, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

DAYS_LEFT = 29  # inside the 30-day point, whatever the month's lengths do to an anniversary


@pytest.fixture(autouse=True)
def reminder_days(settings):
    settings.CPD_REMINDER_DAYS = [60, 30, 7]


def registered_due_in(user, code: str, days_left: int = DAYS_LEFT, cycles_ago: int = 1):
    """Register ``user`` with ``code`` on a date that makes her renewal due in about
    ``days_left`` days; returns her current period."""
    regulator, today = profile(code), timezone.localdate()
    renewal_on = today + dt.timedelta(days=max(regulator.renewal.due_days_before, 1) + days_left)
    registered_on = add_months(renewal_on, -12 * regulator.cycle.years * cycles_ago)
    set_registration(user, code, registered_on, today)
    return period_containing(regulator, today, registered_on)


@pytest.mark.parametrize(
    ("code", "missing"),
    [
        ("scw", "keep a record of your CPD; discuss your CPD regularly with your manager"),
        ("sssc", "your learning this year covers the core learning elements"),
        ("niscc", "90 hours of training and learning in this registration period"),
        ("hcpc", "a continuous record: no gap of 3 months or more without an explanation; "),
    ],
)
def test_each_regulator_reminds_before_her_own_deadline(practitioner, code, missing):
    period = registered_due_in(practitioner, code)
    today = timezone.localdate()

    (due,) = due_reminders(today)

    regulator = profile(code)
    assert due.user == practitioner
    assert (due.period_end, due.due_on, due.days_before) == (period.end, period.due_on, 30)
    assert due.days_left == (period.due_on - today).days
    assert due.text.startswith(
        f"{due.days_left} days until your {regulator.renewal.name} with {regulator.name} is "
        f"due (23:59 on {period.due_on:%-d %B %Y}). Still to do: "
    )
    assert missing in due.text
    assert len(due.text) <= 300


def test_a_list_too_long_for_a_notification_counts_what_it_leaves_out(practitioner):
    registered_due_in(practitioner, "hcpc")

    (due,) = due_reminders(timezone.localdate())

    assert due.text.endswith("; and 1 more on your dashboard.")
    assert len(due.text) <= 300


def test_wales_is_due_21_days_before_the_renewal_date(practitioner):
    period = registered_due_in(practitioner, "scw")

    assert period.renewal_on - period.due_on == dt.timedelta(days=21)
    (due,) = due_reminders(timezone.localdate())
    assert f"23:59 on {period.due_on:%-d %B %Y}" in due.text


def test_a_per_person_reminder_is_sent_once_per_point_of_a_period(practitioner):
    period = registered_due_in(practitioner, "niscc")
    today = timezone.localdate()

    sent = [send_due_reminders(today), send_due_reminders(today)]

    assert sent == [1, 0]
    assert list(ReminderSent.objects.values_list("user", "period_end", "days_before")) == [
        (practitioner.pk, period.end, 30)
    ]
    notification = Notification.objects.get()
    assert "Northern Ireland Social Care Council" in notification.text


def test_no_reminder_once_her_regulators_checklist_is_met(practitioner):
    registered_due_in(practitioner, "scw")
    today = timezone.localdate()
    make_entry(practitioner, occurred_on=today)
    confirm(practitioner, "discussed_with_manager", today)
    confirm(practitioner, "renewal_confirmation", today)

    assert due_reminders(today) == []
    assert send_due_reminders(today) == 0


def test_hours_short_of_90_are_reminded_and_90_are_not(practitioner, other_practitioner):
    today = timezone.localdate()
    registered_due_in(practitioner, "niscc")
    registered_due_in(other_practitioner, "niscc")
    for user in (practitioner, other_practitioner):
        confirm(user, "learning_plan", today)
    make_entry(practitioner, occurred_on=today, duration_minutes=89 * 60)
    make_entry(other_practitioner, occurred_on=today, duration_minutes=90 * 60)

    (due,) = due_reminders(today)

    assert due.user == practitioner
    assert due.text.endswith(
        "Still to do: 90 hours of training and learning in this registration period."
    )


def test_no_deadline_reminder_without_a_registration_date(practitioner):
    # The profile form refuses this; a row made before (or by an admin) can still say it.
    Registration.objects.create(owner=practitioner, regulator="scw", registered_on=None)

    assert due_reminders(timezone.localdate()) == []


def test_no_reminder_far_from_her_deadline_or_on_an_anniversary_that_is_no_renewal(
    practitioner, other_practitioner
):
    registered_due_in(practitioner, "scw", days_left=90)
    # Three-yearly: the same month and day a year into the cycle is not a renewal.
    today = timezone.localdate()
    renewal_on = today + dt.timedelta(days=21 + DAYS_LEFT)
    set_registration(other_practitioner, "niscc", add_months(renewal_on, -12), today)

    assert due_reminders(today) == []


def test_social_work_england_rows_are_reminded_with_everyone_elses_year(practitioner):
    today = timezone.localdate()
    set_registration(practitioner, "swe", None, today)
    year_end = period_containing(profile("swe"), today).end
    # Wales's renewal is far from the day asked about: she has no reminder that day.
    registered_due_in(make_user("wales@example.org"), "scw", (year_end - today).days + 200)

    due = due_reminders(year_end - dt.timedelta(days=7))

    assert [(d.user, d.period_end, d.days_before) for d in due] == [(practitioner, year_end, 7)]
    assert "due to Social Work England" in due[0].text


def test_the_window_query_does_not_grow_with_the_register(
    practitioner, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(12):
        registered_due_in(make_user(f"far{n}@example.org"), "niscc", days_left=200 + n)
    registered_due_in(practitioner, "niscc")

    with django_assert_max_num_queries(14):
        (due,) = due_reminders(today)
    assert due.user == practitioner
