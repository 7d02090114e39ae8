"""Account exports' Celery tasks, declared as every task of ours is (core.tasks)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.tasks import RELIABLE, last_try

from . import export


@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def build_account_export(self, account_export_id: str) -> bool:
    return export.build_account_export(account_export_id, last_try=last_try(self))


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def delete_expired_account_exports(self) -> int:
    return export.delete_expired_account_exports(timezone.now())
