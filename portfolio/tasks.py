"""Celery tasks. Each takes an id, loads the row, calls a domain function, and is safe to run
twice: the row's state, claimed with a conditional UPDATE, decides whether there is work.

Every task acknowledges late and is rejected (so redelivered) when its worker dies; retries back
off; time limits stop a stuck build. The periodic tasks find what the broker lost."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import exports, imports, summaries
from .background import requeue_stuck
from .models import ExportRequest, ImportBatch, ReflectiveSummary

RELIABLE = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 3,
}


def _last_try(task) -> bool:
    return task.request.retries >= task.max_retries


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60, **RELIABLE)
def generate_summary(self, summary_id: int) -> bool:
    return summaries.generate_summary(summary_id, last_try=_last_try(self))


@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def build_export(self, export_id: str) -> bool:
    return exports.build_export(export_id, last_try=_last_try(self))


@shared_task(soft_time_limit=15 * 60, time_limit=16 * 60, **RELIABLE)
def stage_import(self, batch_id: int) -> bool:
    return imports.stage_import(batch_id, last_try=_last_try(self))


@shared_task(soft_time_limit=60, time_limit=90, **RELIABLE)
def email_export_ready(self, export_id: str) -> bool:
    return exports.email_export_ready(export_id)


@shared_task(soft_time_limit=60, time_limit=90, **RELIABLE)
def requeue_stuck_requests(self) -> dict[str, int]:
    """Queue again what lost its message (a Redis restart) or its worker (killed)."""
    older_than = dt.timedelta(seconds=settings.WORK_REQUEUE_AFTER_SECONDS)
    return {
        "summaries": len(requeue_stuck(ReflectiveSummary, generate_summary.delay, older_than)),
        "exports": len(requeue_stuck(ExportRequest, build_export.delay, older_than)),
        "imports": len(requeue_stuck(ImportBatch, stage_import.delay, older_than)),
    }


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def delete_expired_exports(self) -> int:
    return exports.delete_expired_exports(timezone.now())


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def discard_abandoned_imports(self) -> int:
    return imports.discard_abandoned_imports(timezone.now())


@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60, **RELIABLE)
def request_nightly_summaries(self) -> int:
    return summaries.request_nightly_summaries()
