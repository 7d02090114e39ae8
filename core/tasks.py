"""How every Celery task of ours is declared, and the periodic task that finds lost work.

Each task takes an id, loads the row, calls a domain function, and is safe to run twice: the
row's state, claimed with a conditional UPDATE, decides whether there is work. Every task
acknowledges late and is rejected (so redelivered) when its worker dies; retries back off;
time limits stop a stuck build. The periodic tasks here find what the broker lost, send the
emails still owed, sweep away what killed work left behind, and tell /health/ that beat and a
worker are alive."""

from __future__ import annotations

import datetime as dt
from functools import partial

from celery import current_app, shared_task
from django.conf import settings
from django.utils import timezone

from . import leftovers, outbox
from .background import requeue_stuck, work_kinds
from .broker import tasks_in_broker
from .health import record_beat_heartbeat

RELIABLE = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 3,
}


def last_try(task) -> bool:
    return task.request.retries >= task.max_retries


@shared_task(soft_time_limit=60, time_limit=90, **RELIABLE)
def requeue_stuck_requests(self) -> dict[str, int]:
    """Queue again what lost its message (a Redis restart) or its worker (killed), for every
    kind of background work an app registered (core.background.register_work_kind); a queued
    row whose message the broker still holds is only waiting (core.background's docstring)."""
    older_than = dt.timedelta(seconds=settings.WORK_REQUEUE_AFTER_SECONDS)
    in_broker = tasks_in_broker(current_app, taken_within=older_than.total_seconds())

    def waiting(task_name: str, pk) -> bool:
        return in_broker is not None and (task_name, str(pk)) in in_broker

    return {
        label: len(
            requeue_stuck(kind.model, kind.enqueue, older_than, partial(waiting, kind.task_name))
        )
        for label, kind in work_kinds().items()
    }


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    """Sent by beat every minute (expiring unrun if no worker takes it in time); no retries,
    since the next one is a minute away."""
    record_beat_heartbeat()


@shared_task(soft_time_limit=60, time_limit=90, **RELIABLE)
def send_outgoing_email(self, email_id: int) -> bool:
    return outbox.send_outgoing_email(email_id)


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def sweep_leftovers(self) -> dict[str, int]:
    return leftovers.sweep_leftovers(timezone.now())


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def send_unsent_emails(self) -> int:
    return outbox.send_unsent_emails(timezone.now())
