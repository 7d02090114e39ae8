"""Summaries' Celery tasks, declared as every task of ours is (core.tasks)."""

from __future__ import annotations

from celery import shared_task

from core.tasks import RELIABLE, last_try

from . import summaries


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60, **RELIABLE)
def generate_summary(self, summary_id: int) -> bool:
    return summaries.generate_summary(summary_id, last_try=last_try(self))


@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60, **RELIABLE)
def request_nightly_summaries(self) -> int:
    return summaries.request_nightly_summaries()
