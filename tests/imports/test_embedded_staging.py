"""Without a broker (no REDIS_URL, as `make run` serves), an upload is staged in a thread of the
web process after the request commits (core/embedded_worker.py): the import's progress page
answers while staging is held, and the batch is staged afterwards."""

from __future__ import annotations

import threading

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.embedded_worker import wait_for_embedded_work
from core.models import WorkState
from imports import staging
from imports.models import ImportBatch
from tests.imports.staged import tweet, x_archive

WAIT_SECONDS = 60


def test_the_import_page_answers_while_the_upload_is_staged_in_a_thread(
    transactional_db, settings, practitioner, client_for, monkeypatch
):
    settings.EMBEDDED_WORKER_THREADS = 2
    started, release = threading.Event(), threading.Event()
    stage_import = staging.stage_import

    def held(*args, **kwargs):
        started.set()
        if not release.wait(WAIT_SECONDS):
            raise TimeoutError("the test never let staging go on")
        return stage_import(*args, **kwargs)

    monkeypatch.setattr(staging, "stage_import", held)
    client = client_for(practitioner)
    archive = x_archive([tweet(n, day=1 + n % 28) for n in range(20)])

    try:
        response = client.post(
            reverse("imports:list"),
            {"source": "x", "file": SimpleUploadedFile("twitter.zip", archive)},
            follow=True,
        )

        assert started.wait(WAIT_SECONDS)
        batch = ImportBatch.objects.for_user(practitioner).get()
        assert batch.state != WorkState.DONE
        assert response.status_code == 200
        assert f'hx-get="{reverse("imports:status", args=[batch.pk])}"' in response.content.decode()
    finally:
        release.set()
        assert wait_for_embedded_work(WAIT_SECONDS)

    batch.refresh_from_db()
    assert (batch.state, batch.proposed_count) == (WorkState.DONE, 20)
