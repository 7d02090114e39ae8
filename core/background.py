"""Background work whose record is a database row, not a broker message.

A task carries only a row's id. It claims the row with a conditional UPDATE (queued -> running,
one more attempt), so two workers can never both hold it; it reports each step as a heartbeat;
and it finishes only while its attempt is still the latest. A row that sat queued or running
too long without a heartbeat lost its message (a Redis restart) or its worker (killed): the
periodic requeue puts it back in the queue, and whichever claim comes next does the work once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from .models import WorkState


class LostClaim(Exception):
    """The row was requeued and claimed again while this worker still held it."""


@dataclass(frozen=True)
class Claim:
    model: type[models.Model]
    pk: Any
    attempt: int

    def _mine(self) -> models.QuerySet:
        return self.model.objects.filter(pk=self.pk, state=WorkState.RUNNING, attempts=self.attempt)

    def heartbeat(self, **fields) -> None:
        """Record progress (any ``fields``) and that this worker is alive; raises LostClaim
        if another claim has taken over, so a worker thought dead stops instead of racing."""
        if not self._mine().update(heartbeat_at=timezone.now(), **fields):
            raise LostClaim

    def finish(self, **fields) -> bool:
        now = timezone.now()
        return bool(
            self._mine().update(state=WorkState.DONE, finished_at=now, heartbeat_at=now, **fields)
        )

    def release(self, *, failed: bool, error: str = "") -> None:
        """Give the row back to the queue for a retry, or mark it failed after the last one."""
        now = timezone.now()
        if failed:
            self._mine().update(state=WorkState.FAILED, finished_at=now, error=error[:300])
        else:
            self._mine().update(state=WorkState.QUEUED, heartbeat_at=now)


def claim(model: type[models.Model], pk: Any) -> Claim | None:
    """Move a queued row to running, or None when it is not queued: done, failed, gone, or
    held by another worker."""
    with transaction.atomic():
        claimed = model.objects.filter(pk=pk, state=WorkState.QUEUED).update(
            state=WorkState.RUNNING, heartbeat_at=timezone.now(), attempts=F("attempts") + 1
        )
        if not claimed:
            return None
        # Still inside the transaction that holds the row's lock: this is our attempt number.
        attempt = model.objects.filter(pk=pk).values_list("attempts", flat=True).get()
    return Claim(model, pk, attempt)


def run_claimed(
    model: type[models.Model],
    pk: Any,
    work: Callable[[Claim], dict[str, Any]],
    *,
    last_try: bool,
    discard: Callable[[dict[str, Any]], None] = lambda fields: None,
) -> bool:
    """Claim the row, do ``work`` and mark the row done with the fields it returns. False when
    there was nothing to do (not queued) or another claim took over, in which case ``discard``
    gets what this attempt produced so it leaves nothing behind. A failure gives the row back
    for a retry, or marks it failed on the last try, and re-raises for the task to retry."""
    held = claim(model, pk)
    if held is None:
        return False
    try:
        fields = work(held)
    except LostClaim:
        return False
    except Exception as error:
        held.release(failed=last_try, error=f"{type(error).__name__}: {error}")
        raise
    if held.finish(**fields):
        return True
    discard(fields)
    return False


def requeue(row: models.Model, enqueue: Callable[[Any], None]) -> None:
    """Queue a finished-with-failure row again, as a fresh request."""
    type(row).objects.filter(pk=row.pk, state=WorkState.FAILED).update(
        state=WorkState.QUEUED, heartbeat_at=timezone.now(), error=""
    )
    transaction.on_commit(partial(enqueue, row.pk))


def requeue_stuck(
    model: type[models.Model], enqueue: Callable[[Any], None], older_than: dt.timedelta
) -> list[Any]:
    """Queue again every row queued or running with no heartbeat for ``older_than``; returns
    their ids. Each update is conditional on the state and heartbeat just read, so a row that
    moved on meanwhile is left alone."""
    now = timezone.now()
    stuck = model.objects.filter(
        state__in=[WorkState.QUEUED, WorkState.RUNNING], heartbeat_at__lt=now - older_than
    ).values_list("pk", "state", "heartbeat_at")
    requeued = []
    for pk, state, heartbeat_at in stuck:
        if model.objects.filter(pk=pk, state=state, heartbeat_at=heartbeat_at).update(
            state=WorkState.QUEUED, heartbeat_at=now
        ):
            requeued.append(pk)
            transaction.on_commit(partial(enqueue, pk))
    return requeued


@dataclass(frozen=True)
class WorkKind:
    model: type[models.Model]
    enqueue: Callable[[Any], None]


_WORK_KINDS: dict[str, WorkKind] = {}


def register_work_kind(label: str, model: type[models.Model], enqueue: Callable[[Any], None]):
    """Called from an app's AppConfig.ready() for each model of background work it owns, so
    the periodic re-queue (core.tasks) can find that app's lost work without importing it."""
    _WORK_KINDS[label] = WorkKind(model, enqueue)


def work_kinds() -> dict[str, WorkKind]:
    return dict(_WORK_KINDS)
