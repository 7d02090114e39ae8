"""Background work gives up honestly: after WORK_MAX_ATTEMPTS attempts a summary, pack or
import is failed with a reason its owner reads, is no longer queued by the periodic requeue,
and its owner (only) can try again, from a fresh count of attempts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.background import claim, requeue_stuck, run_claimed
from core.models import WorkState
from imports.models import ImportBatch, ImportSource
from packs.models import EvidencePack
from summaries.models import ReflectiveSummary
from tests.packs.conftest import PINNED, YEAR

pytestmark = PINNED

LONG_AGO = dt.timedelta(hours=1)
WORKER_DIED = (
    "We tried 3 times and could not build this evidence pack; "
    "the last error was: the worker doing it stopped before it finished."
)


@pytest.fixture(autouse=True)
def three_attempts(settings):
    settings.WORK_MAX_ATTEMPTS = 3


def make_pack(owner, **fields) -> EvidencePack:
    pack = EvidencePack.objects.create(owner=owner, period_start=YEAR.start, period_end=YEAR.end)
    EvidencePack.objects.filter(pk=pack.pk).update(**fields)
    pack.refresh_from_db()
    return pack


def die_while_running(pack: EvidencePack) -> None:
    """Claim it, then leave it running with an old heartbeat, as a killed worker does."""
    assert claim(EvidencePack, pack.pk) is not None
    EvidencePack.objects.filter(pk=pack.pk).update(heartbeat_at=timezone.now() - LONG_AGO)


def test_a_worker_that_dies_every_time_is_given_up_on_after_the_last_attempt(
    practitioner, django_capture_on_commit_callbacks
):
    pack = make_pack(practitioner)
    requeued = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            die_while_running(pack)
            requeue_stuck(EvidencePack, requeued.append, dt.timedelta(minutes=10))

    pack.refresh_from_db()
    assert requeued == [pack.pk, pack.pk]  # after the first and second deaths, not the third
    assert (pack.state, pack.attempts) == (WorkState.FAILED, 3)
    assert pack.error == WORKER_DIED
    assert claim(EvidencePack, pack.pk) is None
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stuck(EvidencePack, requeued.append, dt.timedelta(0)) == []
    assert len(requeued) == 2


def test_an_error_on_the_last_attempt_fails_the_work_with_a_plain_reason(practitioner):
    summary = ReflectiveSummary.objects.create(
        owner=practitioner, period_start=YEAR.start, period_end=YEAR.end, version=1
    )
    ReflectiveSummary.objects.filter(pk=summary.pk).update(attempts=2)

    def fails(held):
        raise FileNotFoundError("/srv/cpd/var/private/secret/path.txt")

    with pytest.raises(FileNotFoundError):
        run_claimed(ReflectiveSummary, summary.pk, fails, last_try=False)

    summary.refresh_from_db()
    assert summary.state == WorkState.FAILED
    assert summary.error == (
        "We tried 3 times and could not write this summary; "
        "the last error was: a file could not be read or written."
    )
    assert "/srv" not in summary.error


def test_an_error_before_the_last_attempt_is_kept_for_the_reason_given_later(practitioner):
    pack = make_pack(practitioner)

    def fails(held):
        raise ValueError("C:\\internal")

    with pytest.raises(ValueError):
        run_claimed(EvidencePack, pack.pk, fails, last_try=False)

    pack.refresh_from_db()
    assert (pack.state, pack.error) == (WorkState.QUEUED, "an unexpected error on our side")


def test_the_pack_page_says_why_and_offers_to_try_again(practitioner, client_for):
    pack = make_pack(practitioner)
    for _ in range(3):
        die_while_running(pack)
        requeue_stuck(EvidencePack, lambda pk: None, dt.timedelta(minutes=10))

    page = client_for(practitioner).get(pack.get_absolute_url()).content.decode()

    assert WORKER_DIED in page
    assert f'action="{reverse("packs:retry", args=[pack.pk])}"' in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    ("model", "route"),
    [
        (EvidencePack, "packs:retry"),
        (ReflectiveSummary, "summaries:retry"),
        (ImportBatch, "imports:retry"),
    ],
)
def test_try_again_queues_the_owners_failed_work_with_fresh_attempts(
    model, route, practitioner, other_practitioner, programme_leader, client_for,
    django_capture_on_commit_callbacks, monkeypatch,
):  # fmt: skip
    fields = {"owner": practitioner, "state": WorkState.FAILED, "attempts": 3, "error": "x"}
    if model is ImportBatch:
        row = ImportBatch.objects.create(source=ImportSource.CSV, **fields)
    else:
        extra = {"version": 1} if model is ReflectiveSummary else {}
        row = model.objects.create(period_start=YEAR.start, period_end=YEAR.end, **fields, **extra)
    url = reverse(route, args=[row.pk])

    assert client_for(practitioner).get(url).status_code == 405
    for stranger in (other_practitioner, programme_leader):
        assert client_for(stranger).post(url).status_code == 404
    assert client_for(None).post(url).status_code == 302  # to the log-in page
    assert model.objects.get(pk=row.pk).state == WorkState.FAILED

    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(practitioner).post(url)
    assert response["Location"] == row.get_absolute_url()
    assert len(callbacks) == 1
    retried = model.objects.get(pk=row.pk)
    assert (retried.state, retried.error, retried.attempts_at_retry) == (WorkState.QUEUED, "", 3)
    held = claim(model, row.pk)
    assert (held.attempt, held.tries) == (4, 1)  # a claim from before can never pass for it

    with django_capture_on_commit_callbacks() as callbacks:
        client_for(practitioner).post(url)  # a second click: it is no longer failed
    assert callbacks == []
