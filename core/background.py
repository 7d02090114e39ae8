"""Background work whose record is a database row, not a broker message.

A task carries only a row's id. It claims the row with a conditional UPDATE (queued -> running,
one more attempt), so two workers can never both hold it; it reports each step as a heartbeat;
and it finishes only while its attempt is still the latest. After WORK_MAX_ATTEMPTS attempts
the row is failed with a reason its owner reads, and stays failed until the owner asks to try
again (``retry``): a request whose worker dies every time is not queued forever.

The periodic requeue (``requeue_stuck``) sends again only work whose message is plausibly lost:

- A running row whose heartbeat is older than WORK_REQUEUE_AFTER_SECONDS lost its worker
  (killed, or its machine gone): every step of a build beats well within that time.
- A queued row lost its message only if the broker no longer holds it. Age alone cannot say
  so: behind a busy worker a request waits as long as the queue ahead of it takes, and sending
  it again then only lengthens the queue (143 extra messages for 20 packs on 1 December). So a
  queued row older than the same age is sent again only when no message for it is in the Redis
  queue or taken by a worker within that age (core.broker reads both, by task name and id); a
  message taken longer ago may be a dead worker's, which Redis would hold back for an hour.
  When the broker cannot be read (not Redis, or down), the age decides,
  as before: a message too many is refused by the claim, a message too few loses the request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models import F
from django.utils import timezone

from .models import WorkState

logger = logging.getLogger(__name__)

WORKER_LOST = "the worker doing it stopped before it finished"


class LostClaim(Exception):
    """The row was requeued and claimed again while this worker still held it."""


def plain_error(error: BaseException) -> str:
    """What went wrong, for the owner: never a message that may carry a path or a query."""
    if isinstance(error, SoftTimeLimitExceeded):
        return "it took longer than the time allowed"
    if isinstance(error, DatabaseError):
        return "the database could not be reached"
    if isinstance(error, OSError):
        return "a file could not be read or written"
    return "an unexpected error on our side"


def failure_reason(model: type[models.Model], tries: int, last_error: str) -> str:
    times = "once" if tries == 1 else f"{tries} times"
    return f"We tried {times} and could not {model.doing}; the last error was: {last_error}."


@dataclass(frozen=True)
class Claim:
    model: type[models.Model]
    pk: Any
    attempt: int
    # Attempts made since the owner last asked to try again, this one included.
    tries: int

    def _mine(self) -> models.QuerySet:
        return self.model.objects.filter(pk=self.pk, state=WorkState.RUNNING, attempts=self.attempt)

    def heartbeat(self, **fields) -> None:
        """Record progress (any ``fields``) and that this worker is alive; raises LostClaim
        if another claim has taken over, so a worker thought dead stops instead of racing."""
        if not self._mine().update(heartbeat_at=timezone.now(), **fields):
            raise LostClaim

    def finish(self, then: Callable[[], None] = lambda: None, **fields) -> bool:
        """Mark the row done with ``fields``, and call ``then`` in the same transaction (what
        finishing owes, an email say, is recorded with it or not at all)."""
        now = timezone.now()
        with transaction.atomic():
            done = self._mine().update(
                state=WorkState.DONE, finished_at=now, heartbeat_at=now, error="", **fields
            )
            if done:
                then()
        return bool(done)

    def release(self, *, last_try: bool, error: str) -> None:
        """Give the row back to the queue for a retry, or mark it failed, saying why, after the
        last one: the task's last retry or the WORK_MAX_ATTEMPTS-th attempt."""
        now = timezone.now()
        if last_try or self.tries >= settings.WORK_MAX_ATTEMPTS:
            self._mine().update(
                state=WorkState.FAILED,
                finished_at=now,
                error=failure_reason(self.model, self.tries, error)[:300],
            )
        else:
            self._mine().update(state=WorkState.QUEUED, heartbeat_at=now, error=error[:300])


def _has_tries_left() -> models.Q:
    return models.Q(attempts__lt=F("attempts_at_retry") + settings.WORK_MAX_ATTEMPTS)


def claim(model: type[models.Model], pk: Any) -> Claim | None:
    """Move a queued row with attempts left to running, or None when it is not queued (done,
    failed, gone, or held by another worker) or has used its attempts (the requeue fails it)."""
    with transaction.atomic():
        claimed = model.objects.filter(_has_tries_left(), pk=pk, state=WorkState.QUEUED).update(
            state=WorkState.RUNNING, heartbeat_at=timezone.now(), attempts=F("attempts") + 1
        )
        if not claimed:
            return None
        # Still inside the transaction that holds the row's lock: this is our attempt number.
        attempt, since_retry = (
            model.objects.filter(pk=pk).values_list("attempts", "attempts_at_retry").get()
        )
    return Claim(model, pk, attempt, attempt - since_retry)


def run_claimed(
    model: type[models.Model],
    pk: Any,
    work: Callable[[Claim], dict[str, Any]],
    *,
    last_try: bool,
    discard: Callable[[dict[str, Any]], None] = lambda fields: None,
    then: Callable[[], None] = lambda: None,
) -> bool:
    """Claim the row, do ``work`` and mark the row done with the fields it returns, calling
    ``then`` in that transaction. False when there was nothing to do (not queued) or another
    claim took over, in which case ``discard`` gets what this attempt produced so it leaves
    nothing behind. A failure gives the row back for a retry, or marks it failed on the last
    try, and re-raises for the task to retry."""
    held = claim(model, pk)
    if held is None:
        return False
    try:
        fields = work(held)
    except LostClaim:
        return False
    except Exception as error:
        logger.warning("%s %s failed (attempt %s)", model.__name__, pk, held.attempt, exc_info=True)
        held.release(last_try=last_try, error=plain_error(error))
        raise
    if held.finish(then, **fields):
        return True
    discard(fields)
    return False


def retry(row: models.Model, enqueue: Callable[[Any], None]) -> bool:
    """Queue a failed row again with a fresh count of attempts, sent on commit; False when
    it was not failed (another click got there first, or it is running)."""
    model = type(row)
    retried = model.objects.filter(pk=row.pk, state=WorkState.FAILED).update(
        state=WorkState.QUEUED,
        heartbeat_at=timezone.now(),
        attempts_at_retry=F("attempts"),
        error="",
        finished_at=None,
    )
    if retried:
        transaction.on_commit(partial(enqueue, row.pk))
    return bool(retried)


def _give_up(model: type[models.Model], pk: Any, state: str, heartbeat_at: dt.datetime) -> bool:
    """Fail a stuck row that has used its attempts, if it is still as it was read."""
    row = model.objects.filter(pk=pk, state=state, heartbeat_at=heartbeat_at)
    read = row.values_list("attempts", "attempts_at_retry", "error").first()
    if read is None:
        return False
    attempts, since_retry, error = read
    last_error = WORKER_LOST if state == WorkState.RUNNING else (error or WORKER_LOST)
    return bool(
        row.exclude(_has_tries_left()).update(
            state=WorkState.FAILED,
            finished_at=timezone.now(),
            error=failure_reason(model, attempts - since_retry, last_error)[:300],
        )
    )


def requeue_stuck(
    model: type[models.Model],
    enqueue: Callable[[Any], None],
    older_than: dt.timedelta,
    in_broker: Callable[[Any], bool] = lambda pk: False,
) -> list[Any]:
    """Queue again every running row with no heartbeat for ``older_than``, and every queued
    one as old whose message is not ``in_broker`` (see the module's docstring); returns their
    ids. One that has used its attempts is failed instead. Each update is conditional on the
    state and heartbeat just read, so a row that moved on meanwhile is left alone."""
    now = timezone.now()
    stuck = model.objects.filter(
        state__in=[WorkState.QUEUED, WorkState.RUNNING], heartbeat_at__lt=now - older_than
    ).values_list("pk", "state", "heartbeat_at", "attempts", "attempts_at_retry")
    requeued = []
    for pk, state, heartbeat_at, attempts, since_retry in stuck:
        if attempts - since_retry >= settings.WORK_MAX_ATTEMPTS:
            _give_up(model, pk, state, heartbeat_at)
            continue
        if state == WorkState.QUEUED and in_broker(pk):
            continue  # waiting its turn
        if model.objects.filter(pk=pk, state=state, heartbeat_at=heartbeat_at).update(
            state=WorkState.QUEUED,
            heartbeat_at=now,
            error=WORKER_LOST if state == WorkState.RUNNING else F("error"),
        ):
            requeued.append(pk)
            transaction.on_commit(partial(enqueue, pk))
    return requeued


@dataclass(frozen=True)
class WorkKind:
    model: type[models.Model]
    enqueue: Callable[[Any], None]
    task_name: str  # what the broker's messages for this work are called (core.broker)


_WORK_KINDS: dict[str, WorkKind] = {}


def register_work_kind(
    label: str, model: type[models.Model], enqueue: Callable[[Any], None], *, task_name: str
):
    """Called from an app's AppConfig.ready() for each model of background work it owns, so
    the periodic re-queue (core.tasks) can find that app's lost work without importing it."""
    _WORK_KINDS[label] = WorkKind(model, enqueue, task_name)


def work_kinds() -> dict[str, WorkKind]:
    return dict(_WORK_KINDS)


def expire_files(model: type[models.Model], now: dt.datetime) -> int:
    """Delete the stored file of each of ``model``'s finished rows whose ``expires_at`` has
    come, and mark the row expired (it stays, to say what was made). Each row is taken by a
    conditional UPDATE first, so two sweeps never delete one file twice. Returns how many."""
    storage = model._meta.get_field("file").storage
    expired = 0
    due = model.objects.filter(state=WorkState.DONE, expires_at__lte=now)
    for pk, name in due.values_list("pk", "file").iterator():
        if model.objects.filter(pk=pk, state=WorkState.DONE).update(
            state=WorkState.EXPIRED, file=""
        ):
            storage.delete(name)
            expired += 1
    return expired
