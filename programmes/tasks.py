"""Celery tasks. Each takes ids, loads, calls a domain function, and is safe to run twice: a
reminder goes out once per point of a period (its ReminderSent row is unique); emails are owed
and sent through core.outbox. Retries back off; a worker lost mid-task redelivers it."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import reminders

RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60, **RELIABLE)
def send_cpd_reminders() -> int:
    return reminders.send_due_reminders(timezone.localdate())
