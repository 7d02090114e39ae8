"""Celery tasks. Each takes ids, loads, calls a domain function, and is safe to run twice:
an email goes out once (its row records that it was sent), a reminder once per point (its
ReminderSent row is unique). Retries back off; a worker lost mid-task redelivers it."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import invitations, notifications, reminders

RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(soft_time_limit=60, time_limit=90, **RELIABLE)
def email_notification(notification_id: int) -> bool:
    return notifications.send_notification_email(notification_id)


@shared_task(soft_time_limit=60, time_limit=90, **RELIABLE)
def email_invitation(invitation_id: int, token: str) -> bool:
    # The token must travel with the task: the database keeps only its hash.
    return invitations.send_invitation_email(invitation_id, token)


@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60, **RELIABLE)
def send_cpd_reminders() -> int:
    return reminders.send_due_reminders(timezone.localdate())
