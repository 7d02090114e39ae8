"""How every Celery task of ours is declared, and the periodic task that finds lost work.

Each task takes an id, loads the row, calls a domain function, and is safe to run twice: the
row's state, claimed with a conditional UPDATE, decides whether there is work. Every task
acknowledges late and is rejected (so redelivered) when its worker dies; retries back off;
time limits stop a stuck build. The periodic tasks here find what the broker lost, and tell
/health/ that beat and a worker are alive."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from .background import requeue_stuck, work_kinds
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
    kind of background work an app registered (core.background.register_work_kind)."""
    older_than = dt.timedelta(seconds=settings.WORK_REQUEUE_AFTER_SECONDS)
    return {
        label: len(requeue_stuck(kind.model, kind.enqueue, older_than))
        for label, kind in work_kinds().items()
    }


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    """Sent by beat every minute (expiring unrun if no worker takes it in time); no retries,
    since the next one is a minute away."""
    record_beat_heartbeat()
