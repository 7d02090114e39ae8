"""Beat runs once (README), yet every periodic task is safe if two beats ever overlap: each runs
twice at the same moment here, in two threads with their own connections, and does its work
once: no second reminder, email, requeue, summary or expiry."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from core.health import BEAT_HEARTBEAT_KEY
from core.models import OutgoingEmail, WorkState
from core.outbox import owe_email
from cpd_portal.celery import app
from packs.building import request_evidence_pack
from packs.models import EvidencePack
from portfolio.models import Entry
from programmes.models import Notification, ReminderSent
from resources.models import Resource
from summaries.models import ReflectiveSummary
from summaries.summaries import request_summary
from tests.factories import make_entry
from tests.packs.conftest import PINNED, YEAR
from tests.resources.factories import make_resource

pytestmark = PINNED

# Periodic tasks whose overlap is proven elsewhere, and where.
PROVEN_ELSEWHERE = {
    # select_for_update of each batch, then deleted: a second run finds nothing
    # (tests/imports: discard); the same claim-by-conditional-UPDATE expiry as packs
    # (core.background.expire_finished), tested below through the packs.
    "discard-abandoned-imports",
    "delete-expired-account-exports",
}


def twice_at_once(task_name: str) -> list:
    """Run the periodic task as two beats would, both at once; their return values."""
    app.loader.import_default_modules()  # every app's tasks, as a worker registers them
    task = app.tasks[task_name]
    start = threading.Barrier(2)
    results: list = []

    def run() -> None:
        try:
            start.wait()
            results.append(task())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2, "a run failed"
    return results


@pytest.fixture
def broker(transactional_db):
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def reminders(practitioner, settings, **_) -> Callable[[list], None]:
    settings.CPD_REMINDER_DAYS = [400]  # a point a year away is always reached
    make_entry(practitioner, occurred_on=timezone.localdate())

    def check(results: list) -> None:
        assert sorted(results) == [0, 1]
        assert ReminderSent.objects.count() == 1
        assert Notification.objects.count() == 1
        assert OutgoingEmail.objects.count() == 1

    return check


def requeue(practitioner, portfolio, broker, settings, **_) -> Callable[[list], None]:
    pack = request_evidence_pack(practitioner, period=YEAR)
    broker.flushdb()  # its message lost
    EvidencePack.objects.filter(pk=pack.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    settings.WORK_REQUEUE_AFTER_SECONDS = 60

    def check(results: list) -> None:
        assert sorted(r["evidence_packs"] for r in results) == [0, 1]
        assert broker.llen(settings.CELERY_HEAVY_QUEUE) == 1

    return check


def unsent_emails(settings, mailoutbox, **_) -> Callable[[list], None]:
    owe_email(kind="notice", about="x:1", recipient="a@example.org", subject="S", body="B")
    # Owed an hour ago and never sent (its message lost); a claim stays held for the
    # EMAIL_RESEND_AFTER_SECONDS it gives a sender.
    OutgoingEmail.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))

    def check(results: list) -> None:
        assert sorted(results) == [0, 1]
        assert len(mailoutbox) == 1

    return check


def expired_packs(practitioner, portfolio, **_) -> Callable[[list], None]:
    from packs.building import build_evidence_pack

    pack = request_evidence_pack(practitioner, period=YEAR)
    build_evidence_pack(str(pack.pk), last_try=True)
    EvidencePack.objects.filter(pk=pack.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    def check(results: list) -> None:
        assert sorted(results) == [0, 1]
        assert EvidencePack.objects.get().state == WorkState.EXPIRED

    return check


def nightly_summaries(practitioner, portfolio, **_) -> Callable[[list], None]:
    request_summary(practitioner, YEAR)
    ReflectiveSummary.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    Entry.objects.filter(owner=practitioner).update(
        title="Changed since the summary", updated_at=timezone.now()
    )

    def check(results: list) -> None:
        assert sorted(results) == [0, 1]
        assert ReflectiveSummary.objects.count() == 2

    return check


def link_check(settings, **_) -> Callable[[list], None]:
    settings.LINK_CHECK_ALLOW_PRIVATE = False  # refused at once: a failure, without a network
    resource = make_resource(url="http://127.0.0.1:9/gone")

    def check(results: list) -> None:
        assert Resource.objects.get(pk=resource.pk).link_failures == 1

    return check


def leftovers(private_media, settings, **_) -> Callable[[list], None]:
    # Files carry the disk's real times, not the test's clock: anything before ten years on.
    settings.WORK_LEFTOVERS_AFTER_SECONDS = -10 * 365 * 24 * 3600
    partial = private_media / "partial" / "killed.zip"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"half")

    def check(results: list) -> None:
        assert sum(r["files"] for r in results) >= 1
        assert not partial.exists()

    return check


def heartbeat(**_) -> Callable[[list], None]:
    cache.delete(BEAT_HEARTBEAT_KEY)

    def check(results: list) -> None:
        assert cache.get(BEAT_HEARTBEAT_KEY) is not None

    return check


CASES = {
    "send-cpd-reminders": reminders,
    "requeue-stuck-requests": requeue,
    "send-unsent-emails": unsent_emails,
    "delete-expired-exports": expired_packs,
    "request-nightly-summaries": nightly_summaries,
    "check-library-links": link_check,
    "sweep-leftovers": leftovers,
    "beat-heartbeat": heartbeat,
}


def test_every_periodic_task_is_run_twice_here_or_proven_elsewhere():
    assert set(CASES) | PROVEN_ELSEWHERE == set(settings.CELERY_BEAT_SCHEDULE)


@pytest.mark.parametrize("entry", sorted(CASES))
def test_two_beats_at_once_do_the_work_once(entry, request, broker, settings):
    arrange = CASES[entry]
    fixtures = {
        name: request.getfixturevalue(name)
        for name in arrange.__code__.co_varnames[: arrange.__code__.co_argcount]
        if name not in ("broker", "settings")
    }
    check = arrange(broker=broker, settings=settings, **fixtures)
    check(twice_at_once(settings.CELERY_BEAT_SCHEDULE[entry]["task"]))
