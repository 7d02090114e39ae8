"""An account export through a real Celery worker on Redis: asked for on the profile, built by
the worker, downloaded by the owner; delivered twice, it is built once. Its tasks are declared
as every task of ours is, and the expiry runs nightly."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse

from account_data.importing import schema_validator
from account_data.models import AccountExport
from account_data.tasks import build_account_export
from core.background import work_kinds
from core.models import WorkState
from cpd_portal.celery import app
from tests.factories import make_entry

WAIT_SECONDS = 60


def wait_until_done(pk) -> AccountExport:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        row = AccountExport.objects.get(pk=pk)
        if not row.is_pending:
            return row
        time.sleep(0.2)
    pytest.fail(f"Account export {pk} is still {row.state} after {WAIT_SECONDS}s")


def test_an_export_asked_for_on_the_profile_is_built_by_the_worker(
    celery_worker, practitioner, client_for
):
    make_entry(practitioner, title="Read a thread on thresholds")
    client = client_for(practitioner)

    client.post(reverse("account_data:request"))

    account_export = AccountExport.objects.for_user(practitioner).get()
    account_export = wait_until_done(account_export.pk)
    assert (account_export.state, account_export.progress, account_export.attempts) == (
        WorkState.DONE,
        100,
        1,
    )
    download = client.get(reverse("account_data:download", args=[account_export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    document = json.loads(archive.read("account.json"))
    assert list(schema_validator().iter_errors(document)) == []
    assert [e["title"] for e in document["entries"]] == ["Read a thread on thresholds"]

    # Delivered twice (a redelivery after a lost ack): nothing is built again.
    assert build_account_export.apply(args=[str(account_export.pk)]).get() is False
    account_export.refresh_from_db()
    assert account_export.attempts == 1


def test_the_tasks_declare_their_reliability_and_the_expiry_is_scheduled():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "account_data.tasks.delete_expired_account_exports" in scheduled
    for name in (
        "account_data.tasks.build_account_export",
        "account_data.tasks.delete_expired_account_exports",
    ):
        declared = app.tasks[name]
        assert declared.acks_late and declared.reject_on_worker_lost
        assert declared.max_retries == 3
        assert declared.soft_time_limit < declared.time_limit
    # A lost message or worker is found again by the periodic requeue.
    assert work_kinds()["account_exports"].model is AccountExport
