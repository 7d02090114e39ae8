"""Evidence packs' Celery tasks, declared as every task of ours is (core.tasks)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.tasks import RELIABLE, last_try

from . import exports


@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def build_export(self, export_id: str) -> bool:
    return exports.build_export(export_id, last_try=last_try(self))


@shared_task(soft_time_limit=60, time_limit=90, **RELIABLE)
def email_export_ready(self, export_id: str) -> bool:
    return exports.email_export_ready(export_id)


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def delete_expired_exports(self) -> int:
    return exports.delete_expired_exports(timezone.now())
