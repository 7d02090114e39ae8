"""Evidence packs' Celery tasks, declared as every task of ours is (core.tasks)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.tasks import RELIABLE, last_try

from . import building


@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def build_evidence_pack(self, evidence_pack_id: str) -> bool:
    return building.build_evidence_pack(evidence_pack_id, last_try=last_try(self))


@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60, **RELIABLE)
def delete_expired_evidence_packs(self) -> int:
    return building.delete_expired_evidence_packs(timezone.now())
