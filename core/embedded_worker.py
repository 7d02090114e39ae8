"""Background work with no broker: every task of ours, run in a thread of the web process.

Without REDIS_URL (``make run``, a laptop) there is no broker and no worker. Running a task
eagerly, inside the request that enqueued it, held the page until the work was done (13 s for
a first evidence pack, with nothing on screen). Here a task sent while
EMBEDDED_WORKER_THREADS is above 0 is handed, once the sending transaction commits, to a small
pool of threads, and the request answers at once with the progress page, which polls the row
as it would with a worker.

The thread runs the task as Celery's eager mode does (``Task.apply``: its retries at once, the
row's claim and release as ever), so a failure ends as it would on a worker: the row failed
with a reason its owner reads, and the error logged. Each thread closes its database
connections when its task ends, so none is left open between tasks. Work still queued when the
process stops is lost, as eager work was; with a broker, the periodic requeue finds it.

Celery's ``task_always_eager`` still wins (scripts that want work done before they go on set
it), and with EMBEDDED_WORKER_THREADS at 0 tasks go to the broker as always.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from typing import Any

from celery import Task
from celery.result import AsyncResult
from celery.utils import uuid
from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_running: set[Future] = set()


def _threads() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.EMBEDDED_WORKER_THREADS,
                thread_name_prefix="embedded-worker",
            )
        return _pool


def _run(task: Task, args: tuple, kwargs: dict, task_id: str | None) -> None:
    try:
        # Not thrown: an eager retry is raised as an exception when thrown, not made.
        result = task.apply(args, kwargs, task_id=task_id, throw=False)
        if result.failed():
            error = result.result
            logger.error(
                "Task %s %s failed in the embedded worker",
                task.name,
                args,
                exc_info=(type(error), error, error.__traceback__),
            )
    except Exception:
        logger.exception("Task %s %s could not be run in the embedded worker", task.name, args)
    finally:
        connections.close_all()  # this thread's own connections


def _submit(task: Task, args: tuple, kwargs: dict, task_id: str | None) -> None:
    future = _threads().submit(_run, task, args, kwargs, task_id)
    with _lock:
        _running.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future) -> None:
    with _lock:
        _running.discard(future)


def run_in_thread(task: Task, args: tuple | None, kwargs: dict | None, task_id: str) -> None:
    """Run ``task`` in the pool once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_submit, task, tuple(args or ()), dict(kwargs or {}), task_id))


def wait_for_embedded_work(timeout: float) -> bool:
    """Wait until every task handed to the threads has ended, those they sent meanwhile
    included (a finished pack's email); False if some still ran after ``timeout`` seconds.
    For tests, and for scripts that must not exit mid-task."""
    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            running = set(_running)
        remaining = deadline - time.monotonic()
        if not running:
            return True
        if remaining <= 0:
            return False
        wait(running, timeout=remaining)


class EmbeddedOrBrokerTask(Task):
    """The base of every task of ours (cpd_portal/celery.py): to the broker, or to the
    embedded threads when there is no broker."""

    def apply_async(self, args=None, kwargs=None, task_id=None, **options: Any):
        if settings.EMBEDDED_WORKER_THREADS and not self.app.conf.task_always_eager:
            task_id = task_id or uuid()
            run_in_thread(self, args, kwargs, task_id)
            return AsyncResult(task_id, app=self.app)
        return super().apply_async(args, kwargs, task_id=task_id, **options)
