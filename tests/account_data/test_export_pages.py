"""The profile's "Download everything": asked for, followed and downloaded by its owner only;
another practitioner, a programme leader (even one she shares her portfolio with) and an
anonymous visitor find nothing; it expires like an evidence pack."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from account_data.export import build_account_export, delete_expired_account_exports
from account_data.models import AccountExport
from core.models import WorkState
from tests.factories import make_entry
from tests.programmes.conftest import join, make_cohort

from .conftest import export_bytes, export_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(practitioner, django_capture_on_commit_callbacks) -> AccountExport:
    make_entry(practitioner)
    return export_now(practitioner, django_capture_on_commit_callbacks)


@pytest.fixture
def sharing_leader(practitioner, programme_leader):
    """A leader the practitioner shares her whole portfolio with."""
    join(practitioner, make_cohort(programme_leader, "Advanced practice MSc"))
    return programme_leader


def export_urls(account_export: AccountExport) -> list[str]:
    return [
        reverse(f"account_data:{name}", args=[account_export.pk]) for name in ("status", "download")
    ]


def test_the_owner_follows_and_downloads_her_export(ready, practitioner, client_for):
    client = client_for(practitioner)
    status_url, download_url = export_urls(ready)

    status = client.get(status_url)
    download = client.get(download_url)

    assert status.status_code == 200
    assert status["Cache-Control"] == "no-store"
    assert download_url in status.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "private, no-store"
    assert (
        f'filename="cpd-portal-account-{ready.created_at:%Y-%m-%d}.zip"'
        in (download["Content-Disposition"])
    )
    assert b"".join(download.streaming_content) == export_bytes(ready)


@pytest.mark.parametrize("who", ["other_practitioner", "programme_leader", "sharing_leader"])
def test_no_one_else_finds_her_export(ready, who, request, client_for):
    client = client_for(request.getfixturevalue(who))

    for url in export_urls(ready):
        assert client.get(url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(ready, client):
    responses = [client.get(url) for url in export_urls(ready)]
    responses.append(client.post(reverse("account_data:request")))

    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert AccountExport.objects.count() == 1


def test_asking_twice_while_it_is_built_makes_one_export(
    practitioner, client_for, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)

    with django_capture_on_commit_callbacks() as queued:
        first = client.post(reverse("account_data:request"))
        client.post(reverse("account_data:request"))

    assert first["Location"] == reverse("accounts:profile") + "#download-everything"
    assert AccountExport.objects.for_user(practitioner).count() == 1
    assert len(queued) == 1
    assert client.get(reverse("account_data:request")).status_code == 405


def test_the_profile_shows_the_request_the_progress_and_the_file(
    practitioner, client_for, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)
    profile = reverse("accounts:profile")

    assert "Prepare my file" in client.get(profile).content.decode()

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("account_data:request"))
    account_export = AccountExport.objects.for_user(practitioner).get()
    pending = client.get(profile).content.decode()
    status_url, download_url = export_urls(account_export)
    assert f'hx-get="{status_url}"' in pending
    assert "Prepare" not in pending

    AccountExport.objects.filter(pk=account_export.pk).update(progress=40, step="Copied files")
    polled = client.get(status_url).content.decode()
    assert 'value="40"' in polled and "Copied files" in polled

    assert build_account_export(account_export.pk, last_try=True)
    done = client.get(profile).content.decode()
    assert download_url in done
    assert "hx-get" not in done
    assert "Prepare a new file" in done


def test_an_export_expires_and_its_file_is_deleted(
    ready, practitioner, client_for, settings, time_machine
):
    storage = AccountExport.file.field.storage
    name = ready.file.name
    assert storage.exists(name)
    assert (ready.expires_at - ready.created_at).days == settings.EXPORT_EXPIRY_DAYS

    assert delete_expired_account_exports(ready.expires_at - dt.timedelta(seconds=1)) == 0
    assert delete_expired_account_exports(ready.expires_at) == 1

    ready.refresh_from_db()
    assert (ready.state, ready.file.name) == (WorkState.EXPIRED, "")
    assert not storage.exists(name)
    time_machine.move_to(ready.expires_at)
    client = client_for(practitioner)
    assert client.get(export_urls(ready)[1]).status_code == 404
    assert "expired" in client.get(reverse("accounts:profile")).content.decode()
    assert delete_expired_account_exports(timezone.now()) == 0
