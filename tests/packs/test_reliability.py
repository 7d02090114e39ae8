"""The database, not the broker, is the record of work.

A worker killed in the middle of a build is replaced, and the pack is finished exactly once; a
Redis that loses every queued message loses no request. Workers here are real processes
(``celery -A cpd_portal worker``) on the test database and the test Redis database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
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
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.leftovers import sweep_leftovers
from core.models import OutgoingEmail, WorkState
from core.outbox import about_key, send_unsent_emails
from core.tasks import requeue_stuck_requests
from packs.building import file_sha256, request_evidence_pack
from packs.models import EvidencePack
from programmes.cohorts import create_programme
from programmes.invitations import invite
from programmes.models import Cohort
from summaries.models import ReflectiveSummary
from summaries.summaries import request_summary
from tests.packs.conftest import PINNED, YEAR

pytestmark = PINNED

WAIT_SECONDS = 90
STEP_DELAY = "0.6"  # seconds per build step in the first worker: slow enough to kill mid-way


@pytest.fixture(autouse=True)
def work_dir(settings, private_media) -> Path:
    """The test's own working folder (set by private_media)."""
    return Path(settings.WORK_TEMP_DIR)


@pytest.fixture
def broker(transactional_db):
    if not settings.REDIS_URL:
        pytest.fail("These tests need REDIS_URL (make test sets it).")
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()  # nothing left over from another test reaches these workers
    yield client
    client.flushdb()


@contextmanager
def worker_process(
    log: Path, *, slow_saves: bool = False, queues: str = "heavy,light", **env: str
) -> Iterator[subprocess.Popen]:
    """A Celery worker in its own process group (so killing the group kills its render
    processes too), on this test's database, Redis, storage and working folders, consuming
    ``queues`` (both, unless a test runs one pool per queue as production does), one task at
    a time; storing files slowly if asked (tests/packs/slow_saves.py)."""
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_POOL": "0",
        "REDIS_URL": settings.REDIS_URL,
        "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "WORK_TEMP_DIR": settings.WORK_TEMP_DIR,
        **env,
    }
    command = [
        sys.executable, "-m", "tests.clocked", timezone.now().isoformat(),
        *(["tests.packs.slow_saves"] if slow_saves else []),
        "celery", "-A", "cpd_portal", "worker", "--pool=solo", "-Q", queues,
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=output,
            start_new_session=True,
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
        os.killpg(first.pid, signal.SIGKILL)
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
    queue = settings.CELERY_HEAVY_QUEUE  # where packs and summaries wait
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
    queue = settings.CELERY_HEAVY_QUEUE  # where packs and summaries wait
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


# --- Sending again only what the broker lost -----------------------------------------------------


def test_work_waiting_behind_a_long_queue_is_not_sent_again(
    broker, practitioner, portfolio, settings
):
    queue = settings.CELERY_HEAVY_QUEUE  # where packs and summaries wait
    ahead = [request_evidence_pack(practitioner, period=YEAR) for _ in range(30)]
    waiting = request_evidence_pack(practitioner, period=YEAR)
    assert broker.llen(queue) == 31

    settings.WORK_REQUEUE_AFTER_SECONDS = 0  # every row is "old": only the broker can tell
    assert requeue_stuck_requests() == {
        "summaries": 0,
        "evidence_packs": 0,
        "imports": 0,
        "account_exports": 0,
    }
    assert broker.llen(queue) == 31
    assert {
        p.state for p in EvidencePack.objects.filter(pk__in=[p.pk for p in [*ahead, waiting]])
    } == {WorkState.QUEUED}


def test_work_whose_message_was_flushed_is_sent_again_once(
    broker, practitioner, portfolio, settings
):
    queue = settings.CELERY_HEAVY_QUEUE  # where packs and summaries wait
    kept = request_evidence_pack(practitioner, period=YEAR)
    lost = request_evidence_pack(practitioner, period=YEAR)
    broker.lpop(queue)  # kombu pushes on the left: the newest message, the second pack's
    (message,) = broker.lrange(queue, 0, -1)
    assert str(kept.pk) in message.decode()

    settings.WORK_REQUEUE_AFTER_SECONDS = 0
    assert requeue_stuck_requests() == {
        "summaries": 0,
        "evidence_packs": 1,
        "imports": 0,
        "account_exports": 0,
    }
    assert requeue_stuck_requests() == {
        "summaries": 0,
        "evidence_packs": 0,
        "imports": 0,
        "account_exports": 0,
    }
    assert broker.llen(queue) == 2
    assert str(lost.pk) in broker.lindex(queue, 0).decode()


# --- Killing the worker at random moments -------------------------------------------------------

FAULT_SEED = 20261201
FAULT_PACKS = 5
FAULT_KILLS = 20
AIMED_AT_STORING = 6  # of the kills: wait until a pack is being stored, then kill


def test_workers_killed_at_random_moments_leave_one_pack_and_one_email_each_and_nothing_else(
    broker, practitioner, portfolio, tmp_path, settings, private_media, work_dir, mailoutbox
):
    """Seeded, so a failure replays: the same waits, and the same kills aimed at a save."""
    rng = random.Random(FAULT_SEED)  # noqa: S311 - waits, not secrets
    log = tmp_path / "workers.log"
    settings.WORK_MAX_ATTEMPTS = 100  # this test is about kills, not about giving up
    settings.WORK_REQUEUE_AFTER_SECONDS = 0  # after each kill, as if the beat came round
    packs = [request_evidence_pack(practitioner, period=YEAR) for _ in range(FAULT_PACKS)]
    aimed = set(rng.sample(range(FAULT_KILLS), AIMED_AT_STORING))
    env = {"CPD_EXPORT_TEST_DELAY": "0.1", "WORK_MAX_ATTEMPTS": "100"}
    started = time.monotonic()

    def storing() -> bool:
        return EvidencePack.objects.filter(
            state=WorkState.RUNNING, step="Storing the pack"
        ).exists()

    killed_storing = 0
    for kill in range(FAULT_KILLS):
        with worker_process(log, slow_saves=True, **env) as worker:
            if kill in aimed and EvidencePack.objects.exclude(state=WorkState.DONE).exists():
                wait_until(storing, "a pack to be stored", log)
                time.sleep(rng.uniform(0, 0.2))  # somewhere in the save, or just after
                killed_storing += storing()
            else:
                time.sleep(rng.uniform(0.3, 3.0))
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        requeue_stuck_requests()

    partial_left = len(list((private_media / "partial").glob("*")))
    folders_left = len(list(work_dir.glob("*")))
    # A healthy worker, and the beat's requeue coming round as it would (each step of a
    # build beats far more often than every 5 seconds).
    settings.WORK_REQUEUE_AFTER_SECONDS = 5

    def all_done() -> bool:
        requeue_stuck_requests()
        return EvidencePack.objects.filter(state=WorkState.DONE).count() == FAULT_PACKS

    # Its own settings too: with the default cap it would refuse packs tried three times,
    # which the requeue above (with this test's cap) would go on sending it.
    with worker_process(log, WORK_MAX_ATTEMPTS=env["WORK_MAX_ATTEMPTS"]):
        wait_until(all_done, "a healthy worker to finish every pack", log)
    # Long after, as the hourly sweep would (files carry the disk's real times, not the
    # test's clock): nothing is in progress now.
    swept = sweep_leftovers(timezone.now() + dt.timedelta(days=3650))
    later = timezone.now() + dt.timedelta(seconds=settings.EMAIL_RESEND_AFTER_SECONDS + 1)
    resent = send_unsent_emails(later)
    print(
        f"\n{FAULT_KILLS} kills ({killed_storing} while storing), {FAULT_PACKS} packs, "
        f"{sum(p.attempts for p in EvidencePack.objects.all())} attempts, "
        f"{partial_left} partial files and {folders_left} folders left before the sweep "
        f"({swept}), {resent} emails sent by the sweep, "
        f"{time.monotonic() - started:.0f} s"
    )

    assert killed_storing >= 3
    stored = sorted(p.relative_to(private_media).as_posix() for p in private_media.rglob("*.zip"))
    done = EvidencePack.objects.filter(pk__in=[p.pk for p in packs])
    assert stored == sorted(p.file.name for p in done)  # one per pack, no orphan
    for pack in done:
        assert pack.state == WorkState.DONE
        with pack.file.open("rb") as handle:
            assert file_sha256(handle) == pack.sha256
        with zipfile.ZipFile(private_media / pack.file.name) as archive:
            assert archive.testzip() is None
            manifest = json.loads(archive.read("manifest.json"))
            assert manifest["evidence_pack_id"] == str(pack.pk)
            for listed in manifest["files"]:
                assert hashlib.sha256(archive.read(listed["path"])).hexdigest() == listed["sha256"]
            assert {f["path"] for f in manifest["files"]} | {"manifest.json"} == set(
                archive.namelist()
            )
    assert not list((private_media / "partial").glob("*"))
    assert not list(work_dir.glob("*"))
    emails = OutgoingEmail.objects.filter(kind="pack_ready")
    assert sorted(e.about for e in emails) == sorted(about_key(p) for p in packs)
    assert all(e.sent_at for e in emails)


# --- Light work beside a burst of heavy work ----------------------------------------------------

BURST = 6  # packs, each slowed to take a few seconds in a heavy worker that builds one at a time


def test_a_password_reset_and_an_invitation_go_out_while_a_burst_of_packs_waits(
    broker, practitioner, programme_leader, portfolio, tmp_path, settings
):
    """Production's layout: a worker on the heavy queue, one task at a time, and another on
    the light queue. Both emails are sent while most of the burst is still unbuilt: measured
    by state (packs unfinished once each email is seen sent), not by time."""
    heavy_log, light_log = tmp_path / "heavy.log", tmp_path / "light.log"
    packs = [request_evidence_pack(practitioner, period=YEAR) for _ in range(BURST)]
    assert broker.llen(settings.CELERY_HEAVY_QUEUE) == BURST

    def unfinished() -> int:
        return (
            EvidencePack.objects.filter(pk__in=[p.pk for p in packs])
            .exclude(state=WorkState.DONE)
            .count()
        )

    with (
        worker_process(heavy_log, queues=settings.CELERY_HEAVY_QUEUE, CPD_EXPORT_TEST_DELAY="0.5"),
        worker_process(light_log, queues=settings.CELERY_LIGHT_QUEUE),
    ):
        wait_until(
            lambda: EvidencePack.objects.filter(state=WorkState.RUNNING).exists(),
            "the heavy worker to start on the burst",
            heavy_log,
        )
        Client().post(reverse("account_reset_password"), {"email": practitioner.email})
        cohort = Cohort.objects.create(
            programme=create_programme(name="MSc", description="", created_by=programme_leader),
            name="2026 intake",
        )
        invite(cohort, ["new.student@example.org"], invited_by=programme_leader)

        # Seen sent first, then the packs counted: fewer can only be unfinished by then, so
        # each count is at most what was unfinished when the email went.
        unfinished_when_sent: dict[str, int] = {}

        def both_sent() -> bool:
            sent = OutgoingEmail.objects.filter(sent_at__isnull=False)
            for kind in sent.values_list("kind", flat=True):
                unfinished_when_sent.setdefault(kind, unfinished())
            return {"password_reset_key", "invitation"} <= set(unfinished_when_sent)

        wait_until(both_sent, "both emails to be sent", light_log)
        still_queued = broker.llen(settings.CELERY_HEAVY_QUEUE)

    print(
        f"\n{BURST} packs; unfinished when each email was seen sent: {unfinished_when_sent}; "
        f"still waiting in the heavy queue then: {still_queued}"
    )
    assert unfinished_when_sent["password_reset_key"] >= BURST - 2
    assert unfinished_when_sent["invitation"] >= BURST - 2
    assert "Task core.tasks.send_outgoing_email[" in light_log.read_text()
    assert "Task core.tasks.send_outgoing_email[" not in heavy_log.read_text()
    assert "Task packs.tasks.build_evidence_pack[" not in light_log.read_text()
