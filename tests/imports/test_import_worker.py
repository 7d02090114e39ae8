"""Staging through a real Celery worker on Redis: uploaded on the page, staged by the worker
with its progress recorded, and a redelivered message stages nothing twice."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import WorkState
from cpd_portal.celery import app
from imports.models import ImportBatch
from imports.tasks import stage_import
from portfolio.models import Entry
from tests.imports.staged import tweet, x_archive

WAIT_SECONDS = 60


def wait_until_staged(pk: int) -> ImportBatch:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        batch = ImportBatch.objects.get(pk=pk)
        if batch.state == WorkState.DONE:
            return batch
        time.sleep(0.1)
    pytest.fail(f"Import {pk} is {batch.state} ({batch.error}), not done after {WAIT_SECONDS}s")


def test_an_upload_is_staged_by_the_worker_once(celery_worker, practitioner, client_for):
    client = client_for(practitioner)
    archive = x_archive([tweet(n, day=1 + n % 28) for n in range(2_500)])

    response = client.post(
        reverse("imports:list"),
        {"source": "x", "file": SimpleUploadedFile("twitter.zip", archive)},
    )

    batch = ImportBatch.objects.for_user(practitioner).get()
    assert response["Location"] == batch.get_absolute_url()
    batch = wait_until_staged(batch.pk)
    assert (batch.progress, batch.attempts, batch.step) == (100, 1, "Ready to review")
    assert batch.proposed_count == batch.entries.count() == 2_500
    assert batch.file.name == ""
    assert Entry.objects.count() == 0
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "<strong>2500</strong> to import." in page

    # Delivered twice (a redelivery after a lost ack): nothing is staged again.
    assert stage_import.apply(args=[batch.pk]).get() is False
    batch.refresh_from_db()
    assert batch.attempts == 1
    assert batch.entries.count() == 2_500


@pytest.mark.parametrize("task", ["stage_import", "discard_abandoned_imports"])
def test_the_import_tasks_declare_their_reliability(task):
    declared = app.tasks[f"imports.tasks.{task}"]
    assert declared.acks_late
    assert declared.reject_on_worker_lost
    assert declared.max_retries == 3
    assert declared.soft_time_limit < declared.time_limit


def test_abandoned_imports_are_discarded_nightly():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "imports.tasks.discard_abandoned_imports" in scheduled
