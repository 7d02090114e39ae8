"""Deadline reminders: at the configured points before the CPD year ends, to practitioners who
have not met the regulator's minimum and have not turned them off; never the same one twice,
however often the task runs."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.schedules import crontab
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.cpd_year import cpd_year_ending_in
from core.tasks import send_outgoing_email
from programmes import tasks
from programmes.models import Notification, NotificationKind, ReminderSent
from programmes.reminders import due_reminders, reminder_point, send_due_reminders
from tests.factories import make_entry, make_user

YEAR = cpd_year_ending_in(2026)  # 1 December 2025 to 30 November 2026


def days_before_end(days: int) -> dt.date:
    return YEAR.end - dt.timedelta(days=days)


@pytest.fixture(autouse=True)
def reminder_days(settings):
    settings.CPD_REMINDER_DAYS = [60, 30, 7]


@pytest.fixture
def short_of_the_minimum(practitioner):
    """Alex has one entry (not peer-reflected) in the year: short of the minimum."""
    make_entry(practitioner, occurred_on=YEAR.start)
    return practitioner


def meet_the_minimum(user, day: dt.date) -> None:
    make_entry(user, occurred_on=day)
    make_entry(
        user, occurred_on=day, is_peer_reflected=True, peer_role="manager", peer_learning="Talked."
    )


@pytest.fixture
def done(other_practitioner):
    """Jo has met the minimum."""
    meet_the_minimum(other_practitioner, YEAR.start)
    return other_practitioner


@pytest.mark.parametrize(
    ("days_left", "point"),
    [(90, None), (61, None), (60, 60), (45, 60), (30, 30), (29, 30), (8, 30), (7, 7), (0, 7)],
)
def test_the_point_reached_is_the_latest_configured_one(days_left, point):
    assert reminder_point(days_left) == point


def test_only_practitioners_short_of_the_minimum_are_due(short_of_the_minimum, done):
    leader = make_user("leader.too@example.org", role=Role.PROGRAMME_LEADER)
    make_user("quiet@example.org", cpd_reminders=False)
    make_user("gone@example.org", is_active=False)
    empty = make_user("empty@example.org")

    due = due_reminders(days_before_end(30))

    assert {d.user for d in due} == {short_of_the_minimum, empty}
    assert leader not in {d.user for d in due}
    assert {(d.period_end, d.days_before, d.days_left) for d in due} == {(YEAR.end, 30, 30)}


def test_nobody_is_due_far_from_the_deadline(short_of_the_minimum):
    assert due_reminders(days_before_end(61)) == []


def test_the_reminder_says_what_is_missing(short_of_the_minimum):
    (due,) = due_reminders(days_before_end(7))

    assert due.text == (
        "7 days until your CPD records for 2025–26 are due to Social Work England "
        "(23:59 on 30 November). Still to do: at least 2 different pieces of CPD; at least one "
        "reflects on a discussion with a peer."
    )


def test_running_twice_sends_each_reminder_once(short_of_the_minimum, done):
    day = days_before_end(30)

    first = send_due_reminders(day)
    second = send_due_reminders(day)
    next_day = send_due_reminders(day + dt.timedelta(days=1))

    assert (first, second, next_day) == (1, 0, 0)
    notification = Notification.objects.get()
    assert notification.user == short_of_the_minimum
    assert notification.kind == NotificationKind.REMINDER
    assert notification.url == reverse("portfolio:dashboard")
    assert list(ReminderSent.objects.values_list("period_end", "days_before")) == [(YEAR.end, 30)]


def test_each_point_is_sent_once_in_turn_and_missed_days_catch_up(short_of_the_minimum):
    sent = [send_due_reminders(days_before_end(days)) for days in (70, 59, 58, 31, 25, 8, 6, 0)]

    assert sent == [0, 1, 0, 0, 1, 0, 1, 0]
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [7, 30, 60]


def test_no_reminder_once_the_minimum_is_met(short_of_the_minimum):
    assert send_due_reminders(days_before_end(60)) == 1
    make_entry(
        short_of_the_minimum,
        occurred_on=YEAR.start,
        is_peer_reflected=True,
        peer_role="manager",
        peer_learning="Talked.",
    )

    assert send_due_reminders(days_before_end(30)) == 0


def test_turning_reminders_off_in_the_profile(short_of_the_minimum, client_for):
    response = client_for(short_of_the_minimum).post(
        reverse("accounts:profile"), {"display_name": "Alex Morgan", "time_zone": "Europe/London"}
    )

    assert response.status_code == 302
    short_of_the_minimum.refresh_from_db()
    assert short_of_the_minimum.cpd_reminders is False
    assert send_due_reminders(days_before_end(30)) == 0


def test_the_profile_offers_the_reminders_checkbox_ticked(short_of_the_minimum, client_for):
    form = client_for(short_of_the_minimum).get(reverse("accounts:profile")).context["form"]

    assert form["cpd_reminders"].value() is True
    assert form.fields["cpd_reminders"].label == "Email me reminders before the CPD deadline"


def test_the_task_runs_daily_on_the_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-cpd-reminders"]

    assert entry["task"] == tasks.send_cpd_reminders.name
    assert entry["schedule"] == crontab(hour=9, minute=0)


@pytest.fixture
def finished_tasks():
    """(task name, return value) of each task the worker finishes, in order."""
    finished: list[tuple[str, object]] = []

    def record(sender=None, retval=None, **kwargs):
        finished.append((sender.name, retval))

    task_postrun.connect(record, weak=False)
    yield finished
    task_postrun.disconnect(record)


@pytest.mark.calendar
def test_through_the_real_worker_twice_each_practitioner_is_emailed_once(
    celery_worker, mailoutbox, settings, practitioner, other_practitioner, finished_tasks
):
    # The task reminds for today, whatever today is: a point a year away is always reached.
    settings.CPD_REMINDER_DAYS = [400]
    short_of_the_minimum = practitioner
    make_entry(short_of_the_minimum, occurred_on=timezone.localdate())
    meet_the_minimum(other_practitioner, timezone.localdate())

    tasks.send_cpd_reminders.delay()
    tasks.send_cpd_reminders.delay()

    deadline = time.monotonic() + 30
    while len(finished_tasks) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # room for anything unexpected to arrive too
    reminder_runs = [r for name, r in finished_tasks if name == tasks.send_cpd_reminders.name]
    assert reminder_runs == [1, 0]
    assert [r for name, r in finished_tasks if name == send_outgoing_email.name] == [True]
    (message,) = mailoutbox
    assert message.to == [short_of_the_minimum.email]
    assert "until your CPD records" in message.subject
    assert "untick" in message.body and "/accounts/profile/" in message.body
    assert ReminderSent.objects.get().user == short_of_the_minimum
