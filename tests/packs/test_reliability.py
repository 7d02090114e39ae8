"""The database, not the broker, is the record of work.

A worker killed in the middle of a build is replaced, and the pack is finished exactly once; a
Redis that loses every queued message loses no request. Workers here are real processes
(``celery -A cpd_portal worker``) on the test database and the test Redis database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import WorkState
from core.tasks import requeue_stuck_requests
from cpd_portal.celery import app
from packs.building import file_sha256, request_evidence_pack
from packs.models import EvidencePack
from summaries.models import ReflectiveSummary
from summaries.summaries import request_summary
from tests.packs.conftest import PINNED, YEAR

pytestmark = PINNED

WAIT_SECONDS = 90
STEP_DELAY = "0.6"  # seconds per build step in the first worker: slow enough to kill mid-way


@pytest.fixture
def broker(transactional_db):
    if not settings.REDIS_URL:
        pytest.fail("These tests need REDIS_URL (make test sets it).")
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()  # nothing left over from another test reaches these workers
    yield client
    client.flushdb()


@contextmanager
def worker_process(log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """A Celery worker in its own process, on this test's database, Redis and storage."""
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_POOL": "0",
        "REDIS_URL": settings.REDIS_URL,
        "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        **env,
    }
    command = [
        sys.executable, "-m", "tests.clocked", timezone.now().isoformat(),
        "celery", "-A", "cpd_portal", "worker", "--pool=solo",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=settings.BASE_DIR, env=environment, stdout=output, stderr=output
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until(condition, what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}. Worker log:\n{log.read_text()[-3000:]}")


def stored_packs(evidence_pack: EvidencePack) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(
        (root / "exports" / str(evidence_pack.owner_id)).glob(f"{evidence_pack.pk}-*.zip")
    )


def test_a_worker_killed_mid_build_is_replaced_and_the_pack_is_built_exactly_once(
    broker, practitioner, portfolio, tmp_path, settings
):
    log = tmp_path / "workers.log"
    evidence_pack = request_evidence_pack(
        practitioner, period=YEAR
    )  # on commit: one message in Redis

    def row() -> EvidencePack:
        return EvidencePack.objects.get(pk=evidence_pack.pk)

    with worker_process(log, CPD_EXPORT_TEST_DELAY=STEP_DELAY) as first:
        wait_until(
            lambda: row().state == WorkState.RUNNING and row().progress >= 20,
            "the first worker to be part-way through the build",
            log,
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

    killed = row()
    assert killed.state == WorkState.RUNNING
    assert 20 <= killed.progress < 100
    assert killed.attempts == 1
    assert stored_packs(evidence_pack) == []

    # The beat task finds the row with no heartbeat and queues it again.
    settings.WORK_REQUEUE_AFTER_SECONDS = 0
    assert requeue_stuck_requests() == {
        "summaries": 0,
        "evidence_packs": 1,
        "imports": 0,
        "account_exports": 0,
    }
    assert row().state == WorkState.QUEUED

    with worker_process(log):
        wait_until(lambda: row().state == WorkState.DONE, "the second worker to finish", log)

    done = row()
    assert done.attempts == 2
    assert done.progress == 100
    (pack,) = stored_packs(evidence_pack)
    assert pack.name == f"{evidence_pack.pk}-2.zip"
    assert done.file.name == f"exports/{evidence_pack.owner_id}/{pack.name}"
    with zipfile.ZipFile(pack) as archive:
        assert archive.testzip() is None
        assert "manifest.json" in archive.namelist()
    with done.file.open("rb") as handle:
        assert file_sha256(handle) == done.sha256
    assert "Task packs.tasks.build_evidence_pack" in log.read_text()


def test_requests_queued_when_redis_loses_every_message_still_complete(
    broker, practitioner, portfolio, tmp_path, settings
):
    log = tmp_path / "workers.log"
    queue = app.conf.task_default_queue
    evidence_pack = request_evidence_pack(practitioner, period=YEAR)
    summary, _ = request_summary(practitioner, YEAR)
    assert broker.llen(queue) == 2

    broker.flushdb()  # a Redis restart without persistence
    assert broker.llen(queue) == 0
    settings.WORK_REQUEUE_AFTER_SECONDS = 0
    assert requeue_stuck_requests() == {
        "summaries": 1,
        "evidence_packs": 1,
        "imports": 0,
        "account_exports": 0,
    }
    assert broker.llen(queue) == 2

    with worker_process(log):
        wait_until(
            lambda: (
                EvidencePack.objects.get(pk=evidence_pack.pk).state == WorkState.DONE
                and ReflectiveSummary.objects.get(pk=summary.pk).state == WorkState.DONE
            ),
            "both requests to complete",
            log,
        )

    evidence_pack.refresh_from_db()
    summary.refresh_from_db()
    assert (evidence_pack.attempts, summary.attempts) == (1, 1)
    assert len(stored_packs(evidence_pack)) == 1
    assert summary.facts["entry_count"] == 3


def test_requeue_leaves_recent_and_finished_work_alone(broker, practitioner, portfolio, settings):
    settings.WORK_REQUEUE_AFTER_SECONDS = 600
    queue = app.conf.task_default_queue
    request_evidence_pack(practitioner, period=YEAR)
    finished = request_evidence_pack(practitioner, period=YEAR)
    EvidencePack.objects.filter(pk=finished.pk).update(state=WorkState.DONE)
    broker.flushdb()

    assert requeue_stuck_requests() == {
        "summaries": 0,
        "evidence_packs": 0,
        "imports": 0,
        "account_exports": 0,
    }
    settings.WORK_REQUEUE_AFTER_SECONDS = 0
    assert requeue_stuck_requests() == {
        "summaries": 0,
        "evidence_packs": 1,
        "imports": 0,
        "account_exports": 0,
    }
    assert broker.llen(queue) == 1
