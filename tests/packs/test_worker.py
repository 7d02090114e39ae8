"""Summaries and packs through a real Celery worker on Redis: requested by the views, built by
the worker, the owner emailed once; and the periodic tasks are registered and scheduled."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import OutgoingEmail, WorkState
from core.tasks import send_outgoing_email
from cpd_portal.celery import app
from packs.models import EvidencePack
from packs.tasks import build_evidence_pack
from summaries.models import ReflectiveSummary
from tests.packs.conftest import PINNED

pytestmark = PINNED

WAIT_SECONDS = 60


def wait_for(model, pk, state: str = WorkState.DONE):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        row = model.objects.get(pk=pk)
        if row.state == state:
            return row
        time.sleep(0.2)
    pytest.fail(f"{model.__name__} {pk} is {row.state}, not {state}, after {WAIT_SECONDS}s")


def wait_for_mail(mailoutbox, count: int) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while len(mailoutbox) < count and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_pack_requested_in_the_browser_is_built_by_the_worker_and_emailed_once(
    celery_worker, practitioner, portfolio, client_for, mailoutbox
):
    client = client_for(practitioner)

    response = client.post(
        reverse("packs:list"),
        {"include": "period", "period": "custom", "start": "2025-12-01", "end": "2026-11-30"},
    )

    evidence_pack = EvidencePack.objects.for_user(practitioner).get()
    assert response["Location"] == evidence_pack.get_absolute_url()
    evidence_pack = wait_for(EvidencePack, evidence_pack.pk)
    assert (evidence_pack.progress, evidence_pack.attempts, evidence_pack.entry_count) == (
        100,
        1,
        3,
    )
    wait_for_mail(mailoutbox, 1)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [practitioner.email]
    assert message.subject == "[CPD Portal] Your evidence pack is ready"
    assert settings.SITE_URL + evidence_pack.get_absolute_url() in message.body
    assert f"/verify/{evidence_pack.pk}/" in message.body

    # Delivered twice (a redelivery after a lost ack): nothing is built or sent again.
    assert build_evidence_pack.apply(args=[str(evidence_pack.pk)]).get() is False
    (owed,) = OutgoingEmail.objects.filter(kind="pack_ready")
    assert send_outgoing_email.apply(args=[owed.pk]).get() is False
    evidence_pack.refresh_from_db()
    assert evidence_pack.attempts == 1
    assert len(mailoutbox) == 1


def test_a_summary_requested_in_the_browser_is_generated_by_the_worker(
    celery_worker, practitioner, portfolio, client_for
):
    response = client_for(practitioner).post(
        reverse("summaries:list"),
        {"period": "custom", "start": "2025-12-01", "end": "2026-11-30"},
    )

    summary = ReflectiveSummary.objects.for_user(practitioner).get()
    assert response["Location"] == summary.get_absolute_url()
    summary = wait_for(ReflectiveSummary, summary.pk)
    assert summary.facts["entry_count"] == 3
    assert summary.text.startswith("# Summary of practice")


def test_periodic_tasks_are_registered_and_scheduled():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    for name in (
        "core.tasks.requeue_stuck_requests",
        "packs.tasks.delete_expired_evidence_packs",
        "summaries.tasks.request_nightly_summaries",
        "core.tasks.send_unsent_emails",
        "core.tasks.sweep_leftovers",
    ):
        assert name in scheduled
        assert name in app.tasks


@pytest.mark.parametrize(
    "task",
    [
        "summaries.tasks.generate_summary",
        "packs.tasks.build_evidence_pack",
        "core.tasks.send_outgoing_email",
    ],
)
def test_tasks_declare_their_reliability(task):
    declared = app.tasks[task]
    assert declared.acks_late
    assert declared.reject_on_worker_lost
    assert declared.max_retries == 3
    assert declared.retry_backoff
    assert declared.soft_time_limit < declared.time_limit
