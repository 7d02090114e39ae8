"""Deadline reminders: at the points set in CPD_REMINDER_DAYS (days before a practitioner's
renewal or declaration is due to her regulator), practitioners whose records do not yet meet
their regulator's checklist, and who have not turned reminders off, are reminded once per point
of each period. A ReminderSent row, unique per user, period and point, is written before the
reminder goes out, so running the task twice sends nothing new.

Social Work England's year is everyone's (no Registration row reads as it), so its
practitioners are judged in bulk from their tallies. A regulator whose cycle runs from each
person's registration date is asked only about those whose renewal falls within the reminder
window, selected by the month and day of their date. Someone whose regulator needs a date she
has not given gets no deadline reminder: the portal does not know her deadline, the profile
form refuses to save such a regulator without one, and her dashboard asks for it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import ExtractDay, ExtractMonth
from django.urls import reverse

from accounts.models import Role, User
from core.cpd_year import cpd_year_containing
from portfolio.models import Entry
from portfolio.standing import standing_of
from regulators.periods import RegistrationPeriod, period_containing
from regulators.profiles import DEFAULT_REGULATOR, RegulatorProfile, profile, profiles
from regulators.requirements import Checklist

from .models import NotificationKind, ReminderSent
from .notifications import notify
from .progress import checklists_by_owner

BATCH_SIZE = 500
NOTIFICATION_TEXT_LENGTH = 300  # as notify() keeps it


@dataclass(frozen=True)
class DueReminder:
    user: User
    regulator: RegulatorProfile
    period_label: str  # "2025–26" for a fixed year, else its dates
    period_end: dt.date
    due_on: dt.date
    days_before: int
    days_left: int
    checklist: Checklist

    @property
    def text(self) -> str:
        days = f"{self.days_left} day{'' if self.days_left == 1 else 's'}"
        if self.regulator.cycle.per_person:
            when = (
                f"{days} until your {self.regulator.renewal.name} with {self.regulator.name} is "
                f"due (23:59 on {self.due_on:%-d %B %Y})."
            )
        else:
            when = (
                f"{days} until your CPD records for {self.period_label} are due to "
                f"{self.regulator.name} (23:59 on {self.due_on:%-d %B})."
            )
        missing = [
            item.label[:1].lower() + item.label[1:] for item in self.checklist.items if not item.met
        ]
        # A notification holds 300 characters: what does not fit is counted, not cut mid-word.
        for shown in range(len(missing), 0, -1):
            rest = len(missing) - shown
            more = f"; and {rest} more on your dashboard" if rest else ""
            text = f"{when} Still to do: {'; '.join(missing[:shown])}{more}."
            if len(text) <= NOTIFICATION_TEXT_LENGTH:
                return text
        return f"{when} See what is still to do on your dashboard."


def reminder_point(days_left: int) -> int | None:
    """The latest point reached: the smallest configured number of days not below
    ``days_left``. A day the task did not run is caught up the next day, and only the most
    recent point is ever sent."""
    reached = [days for days in settings.CPD_REMINDER_DAYS if days >= days_left]
    return min(reached, default=None)


def _practitioners_reminded() -> Q:
    return Q(role=Role.PRACTITIONER, is_active=True, cpd_reminders=True)


def _default_regulator_reminders(today: dt.date) -> list[DueReminder]:
    """Everyone under Social Work England, whose year is the portal's CPD year, in batches."""
    regulator = profile(DEFAULT_REGULATOR)
    year = cpd_year_containing(today)
    days_left = year.days_left(today)
    point = reminder_point(days_left)
    if point is None:
        return []
    already = ReminderSent.objects.filter(period_end=year.end, days_before=point).values("user")
    candidates = (
        User.objects.filter(_practitioners_reminded())
        .filter(Q(registration__isnull=True) | Q(registration__regulator=DEFAULT_REGULATOR))
        .exclude(pk__in=already)
        .order_by("pk")
    )
    due = []
    for start in range(0, candidates.count(), BATCH_SIZE):
        users = list(candidates[start : start + BATCH_SIZE])
        ids = [user.pk for user in users]
        # Each practitioner's own entries, read for their own reminder.
        entries = Entry.objects.filter(owner__in=ids).complete().in_year(year)
        checklists = checklists_by_owner(entries, ids, year, today)
        due += [
            DueReminder(
                user, regulator, year.label, year.end, year.end, point, days_left, checklists[pk]
            )
            for user, pk in zip(users, ids, strict=True)
            if not checklists[pk].met
        ]
    return due


def _renewal_days(regulator: RegulatorProfile, today: dt.date) -> list[dt.date]:
    """The renewal dates (a period's day after its last) whose due day is a reminder point
    away or less, today included: the anniversaries of the registration dates to look for."""
    # As regulators.periods words it: due this many days before the renewal date, at least 1.
    offset = max(regulator.renewal.due_days_before, 1)
    reach = max(settings.CPD_REMINDER_DAYS, default=-1)
    return [today + dt.timedelta(days=offset + days) for days in range(reach + 1)]


def _on_anniversaries(days: list[dt.date]) -> Q:
    """Registration dates whose month and day is one of ``days``'; someone first registered
    on 29 February renews on 28 February in other years (core.periods.add_months)."""
    month_days = {day.month * 100 + day.day for day in days}
    if any(day.month == 2 and day.day == 28 and not calendar.isleap(day.year) for day in days):
        month_days.add(229)
    return Q(month_day__in=month_days)


def _per_person_reminders(today: dt.date) -> list[DueReminder]:
    """Practitioners of regulators whose cycle runs from their own date, whose renewal is
    due within the reminder window: found by the month and day of their date in one query,
    then each one's period worked out and her standing judged."""
    per_person = {code: p for code, p in profiles().items() if p.cycle.per_person}
    due_by_user: dict[int, tuple[RegulatorProfile, RegistrationPeriod, int, int]] = {}
    for code, regulator in per_person.items():
        users = (
            User.objects.filter(_practitioners_reminded())
            .filter(registration__regulator=code, registration__registered_on__isnull=False)
            .annotate(
                month_day=ExtractMonth("registration__registered_on") * 100
                + ExtractDay("registration__registered_on")
            )
            .filter(_on_anniversaries(_renewal_days(regulator, today)))
            .values_list("pk", "registration__registered_on")
        )
        for pk, registered_on in users:
            period = period_containing(regulator, today, registered_on)
            if period.is_overdue(today):
                continue
            days_left = period.days_left(today)
            point = reminder_point(days_left)
            if point is not None:
                due_by_user[pk] = (regulator, period, point, days_left)
    if not due_by_user:
        return []
    already = set(
        ReminderSent.objects.filter(user__in=due_by_user).values_list(
            "user", "period_end", "days_before"
        )
    )
    due = []
    for user in User.objects.filter(pk__in=due_by_user).order_by("pk"):
        regulator, period, point, days_left = due_by_user[user.pk]
        if (user.pk, period.end, point) in already:
            continue
        standing = standing_of(user, today)
        if standing is None or standing.period != period or standing.checklist.met:
            continue  # changed regulator since the query, or nothing missing
        due.append(
            DueReminder(
                user,
                regulator,
                period.label,
                period.end,
                period.due_on,
                point,
                days_left,
                standing.checklist,
            )
        )
    return due


def due_reminders(today: dt.date) -> list[DueReminder]:
    return _default_regulator_reminders(today) + _per_person_reminders(today)


def send_due_reminders(today: dt.date) -> int:
    """Remind everyone due a reminder today; returns how many were reminded."""
    sent = 0
    for reminder in due_reminders(today):
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(
                user=reminder.user, period_end=reminder.period_end, days_before=reminder.days_before
            )
            if created:  # another run got there first otherwise
                notify(
                    [reminder.user],
                    kind=NotificationKind.REMINDER,
                    text=reminder.text,
                    url=reverse("portfolio:dashboard"),
                )
                sent += 1
    return sent
