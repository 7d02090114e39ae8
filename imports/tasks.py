"""Imports' Celery tasks, declared as every task of ours is (core.tasks)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.tasks import RELIABLE, last_try

from . import staging as imports


@shared_task(soft_time_limit=15 * 60, time_limit=16 * 60, **RELIABLE)
def stage_import(self, batch_id: int) -> bool:
    return imports.stage_import(batch_id, last_try=last_try(self))


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def discard_abandoned_imports(self) -> int:
    return imports.discard_abandoned_imports(timezone.now())
