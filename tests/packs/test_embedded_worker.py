"""Without a broker (no REDIS_URL, as `make run` serves), a pack is built in a thread of the
web process after the request commits (core/embedded_worker.py): the request answers at once
with the progress page, the pack is built afterwards, and a build that fails ends failed, with
its reason, as on a worker. The suite runs with a broker, so these tests switch the threads on.

Each test holds the build on an Event until the page has answered: had the request run it,
the page could not answer before the Event was set."""

from __future__ import annotations

import logging
import threading

import pytest
from django.urls import reverse

from core.embedded_worker import wait_for_embedded_work
from core.models import OutgoingEmail, WorkState
from packs import building
from packs.models import EvidencePack
from summaries.models import ReflectiveSummary
from tests.packs.conftest import PINNED

pytestmark = PINNED

WAIT_SECONDS = 60
THIS_YEAR = {"period": "custom", "start": "2025-12-01", "end": "2026-11-30"}


@pytest.fixture
def embedded_worker(transactional_db, settings):
    """Tasks go to threads of this process, as with no REDIS_URL; each is waited for."""
    settings.EMBEDDED_WORKER_THREADS = 2
    yield
    assert wait_for_embedded_work(WAIT_SECONDS), "a task was still running"


@pytest.fixture
def held_build(monkeypatch):
    """The build waits, once started, until the test lets it go on."""
    started, release = threading.Event(), threading.Event()
    write_pack = building.write_pack

    def held(*args, **kwargs):
        started.set()
        if not release.wait(WAIT_SECONDS):
            raise TimeoutError("the test never let the build go on")
        return write_pack(*args, **kwargs)

    monkeypatch.setattr(building, "write_pack", held)
    yield started, release
    release.set()  # a test that failed early leaves no build waiting


def test_the_progress_page_answers_before_the_pack_is_built_and_the_pack_follows(
    embedded_worker, held_build, practitioner, portfolio, client_for
):
    started, release = held_build
    client = client_for(practitioner)

    response = client.post(reverse("packs:list"), {"include": "period", **THIS_YEAR}, follow=True)

    # The page answered while the build was held in its thread.
    assert started.wait(WAIT_SECONDS)
    assert response.status_code == 200
    assert "Building your pack" in response.content.decode()
    evidence_pack = EvidencePack.objects.for_user(practitioner).get()
    assert evidence_pack.state == WorkState.RUNNING
    # It polls the status, which answers meanwhile too.
    status_url = reverse("packs:status", args=[evidence_pack.pk])
    assert f'hx-get="{status_url}"' in response.content.decode()
    assert "Building your pack" in client.get(status_url).content.decode()

    release.set()
    assert wait_for_embedded_work(WAIT_SECONDS)

    evidence_pack.refresh_from_db()
    assert (evidence_pack.state, evidence_pack.entry_count, evidence_pack.attempts) == (
        WorkState.DONE,
        3,
        1,
    )
    assert "Download the pack (ZIP)" in client.get(status_url).content.decode()
    # The email owed on finishing was sent by a thread too.
    assert OutgoingEmail.objects.get(kind="pack_ready").sent_at is not None


def test_a_build_that_fails_in_its_thread_is_logged_and_the_pack_failed(
    embedded_worker, practitioner, portfolio, client_for, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(building, "write_pack", broken)
    client = client_for(practitioner)

    client.post(reverse("packs:list"), {"include": "period", **THIS_YEAR})
    assert wait_for_embedded_work(WAIT_SECONDS)

    evidence_pack = EvidencePack.objects.for_user(practitioner).get()
    assert evidence_pack.state == WorkState.FAILED
    assert evidence_pack.error == (
        "We tried 3 times and could not build this evidence pack; the last error was: "
        "an unexpected error on our side."
    )
    failures = [r for r in caplog.records if r.levelno >= logging.WARNING and r.exc_info]
    assert [str(r.exc_info[1]) for r in failures] == ["the renderer fell over"] * 3
    page = client.get(evidence_pack.get_absolute_url()).content.decode()
    assert "Could not be built" in page
    assert "Try again" in page


def test_a_summary_is_generated_in_a_thread_after_the_request(
    embedded_worker, practitioner, portfolio, client_for, monkeypatch
):
    from summaries import summaries

    started, release = threading.Event(), threading.Event()
    generate = summaries.generate_summary

    def held(*args, **kwargs):
        started.set()
        if not release.wait(WAIT_SECONDS):
            raise TimeoutError("the test never let the summary go on")
        return generate(*args, **kwargs)

    monkeypatch.setattr(summaries, "generate_summary", held)

    response = client_for(practitioner).post(reverse("summaries:list"), THIS_YEAR)

    assert started.wait(WAIT_SECONDS)
    summary = ReflectiveSummary.objects.for_user(practitioner).get()
    assert response["Location"] == summary.get_absolute_url()
    assert summary.state != WorkState.DONE
    release.set()
    assert wait_for_embedded_work(WAIT_SECONDS)
    summary.refresh_from_db()
    assert summary.state == WorkState.DONE
