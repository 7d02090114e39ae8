"""Deadline reminders: at the points set in CPD_REMINDER_DAYS (days before the CPD year ends),
practitioners whose records do not yet meet the regulator's minimum, and who have not turned
reminders off, are reminded once per point. A ReminderSent row, unique per user, year and
point, is written before the reminder goes out, so running the task twice sends nothing new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from core.cpd_year import CpdYear, cpd_year_containing
from portfolio.models import Entry
from regulators.requirements import Checklist

from .models import NotificationKind, ReminderSent
from .notifications import notify
from .progress import checklists_by_owner

BATCH_SIZE = 500


@dataclass(frozen=True)
class DueReminder:
    user: User
    year: CpdYear
    days_before: int
    days_left: int
    checklist: Checklist

    @property
    def text(self) -> str:
        missing = "; ".join(item.label.lower() for item in self.checklist.items if not item.met)
        return (
            f"{self.days_left} day{'' if self.days_left == 1 else 's'} until your CPD records "
            f"for {self.year.label} are due (23:59 on {self.year.end:%-d %B}). "
            f"Still to do: {missing}."
        )


def reminder_point(days_left: int) -> int | None:
    """The latest point reached: the smallest configured number of days not below
    ``days_left``. A day the task did not run is caught up the next day, and only the most
    recent point is ever sent."""
    reached = [days for days in settings.CPD_REMINDER_DAYS if days >= days_left]
    return min(reached, default=None)


def due_reminders(today: dt.date) -> list[DueReminder]:
    year = cpd_year_containing(today)
    days_left = year.days_left(today)
    point = reminder_point(days_left)
    if point is None:
        return []
    already = ReminderSent.objects.filter(year=year.end.year, days_before=point).values("user")
    candidates = (
        User.objects.filter(role=Role.PRACTITIONER, is_active=True, cpd_reminders=True)
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
            DueReminder(user, year, point, days_left, checklists[user.pk])
            for user in users
            if not checklists[user.pk].met
        ]
    return due


def send_due_reminders(today: dt.date) -> int:
    """Remind everyone due a reminder today; returns how many were reminded."""
    sent = 0
    for reminder in due_reminders(today):
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(
                user=reminder.user, year=reminder.year.end.year, days_before=reminder.days_before
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
