"""Who may open what: every summary, export and verification view as the owner, another
practitioner, a programme leader (no sharing exists yet, so just another user) and an
anonymous visitor. The verification page is public and reveals no content."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import WorkState
from packs.building import delete_expired_evidence_packs
from packs.models import EvidencePack
from summaries.models import ReflectiveSummary
from summaries.summaries import generate_summary, request_summary
from tests.factories import make_entry
from tests.packs.conftest import PINNED, YEAR, build_now

pytestmark = PINNED

NOT_OWNERS = ["other_practitioner", "programme_leader"]


@dataclass
class Owned:
    summary: ReflectiveSummary
    evidence_pack: EvidencePack


@pytest.fixture
def owned(practitioner, portfolio, django_capture_on_commit_callbacks) -> Owned:
    with django_capture_on_commit_callbacks():
        summary, _ = request_summary(practitioner, YEAR)
    generate_summary(summary.pk, last_try=True, today=dt.date(2026, 11, 21))
    summary.refresh_from_db()
    evidence_pack = build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR)
    return Owned(summary, evidence_pack)


def snapshot() -> dict:
    return {
        "summaries": list(ReflectiveSummary.objects.order_by("pk").values()),
        "evidence_packs": list(EvidencePack.objects.order_by("pk").values()),
    }


@dataclass(frozen=True)
class Call:
    name: str
    method: str = "get"
    target: str | None = None  # "summary" or "evidence_pack"
    data: dict | None = None

    def url(self, owned: Owned) -> str:
        args = [getattr(owned, self.target).pk] if self.target else []
        return reverse(self.name, args=args)

    def send(self, client, owned: Owned, **extra):
        return getattr(client, self.method)(self.url(owned), self.data or {}, **extra)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


SUMMARY_DETAIL = Call("summaries:detail", target="summary")
SUMMARY_EDIT_FORM = Call("summaries:edit", target="summary")
SUMMARY_EDIT = Call("summaries:edit", "post", "summary", {"text": "Changed by request"})
EXPORT_DETAIL = Call("packs:detail", target="evidence_pack")
EXPORT_STATUS = Call("packs:status", target="evidence_pack")
EXPORT_DOWNLOAD = Call("packs:download", target="evidence_pack")
RENEWAL_SHEET = Call("packs:renewal_sheet", target="evidence_pack")
OBJECT_CALLS = [
    SUMMARY_DETAIL,
    SUMMARY_EDIT_FORM,
    SUMMARY_EDIT,
    EXPORT_DETAIL,
    EXPORT_STATUS,
    EXPORT_DOWNLOAD,
    RENEWAL_SHEET,
]
SUMMARY_LIST = Call("summaries:list")
SUMMARY_REQUEST = Call("summaries:list", "post", data={"period": "current_year"})
EXPORT_LIST = Call("packs:list")
EXPORT_REQUEST = Call("packs:list", "post", data={"include": "period", "period": "current_year"})
ENTRY_CHOICES = Call("packs:entry_choices")
USER_CALLS = [SUMMARY_LIST, SUMMARY_REQUEST, EXPORT_LIST, EXPORT_REQUEST, ENTRY_CHOICES]
VERIFY = Call("packs:verify", target="evidence_pack")


@pytest.mark.parametrize("call", OBJECT_CALLS + USER_CALLS, ids=str)
def test_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(call, owned, client_for):
    before = snapshot()

    response = call.send(client_for(None), owned)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


@pytest.mark.parametrize("viewer", NOT_OWNERS)
@pytest.mark.parametrize("call", OBJECT_CALLS, ids=str)
def test_someone_elses_summary_or_pack_is_not_found(call, viewer, owned, client_for, request):
    before = snapshot()

    response = call.send(client_for(request.getfixturevalue(viewer)), owned)

    assert response.status_code == 404
    content = b"".join(response) if response.streaming else response.content
    assert b"Strengths-based supervision" not in content
    assert snapshot() == before


@pytest.mark.parametrize("viewer", NOT_OWNERS)
def test_status_polled_with_htmx_by_someone_else_is_not_found(viewer, owned, client_for, request):
    response = EXPORT_STATUS.send(
        client_for(request.getfixturevalue(viewer)), owned, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("viewer", NOT_OWNERS)
@pytest.mark.parametrize("call", [SUMMARY_LIST, EXPORT_LIST, ENTRY_CHOICES], ids=str)
def test_lists_show_only_the_viewers_own(call, viewer, owned, client_for, request):
    response = call.send(client_for(request.getfixturevalue(viewer)), owned)

    assert response.status_code == 200
    content = response.content.decode()
    assert owned.summary.get_absolute_url() not in content
    assert owned.evidence_pack.get_absolute_url() not in content
    assert "Strengths-based supervision" not in content  # an entry to choose for a pack


def test_owner_lists_their_summaries_and_packs(owned, practitioner, client_for):
    client = client_for(practitioner)

    assert owned.summary.get_absolute_url() in SUMMARY_LIST.send(client, owned).content.decode()
    content = EXPORT_LIST.send(client, owned).content.decode()
    assert owned.evidence_pack.get_absolute_url() in content
    # The entries to choose from come when asked for: by htmx on opening the list, or by a
    # link without JavaScript.
    entry = "#SWSCmedia chat on strengths-based supervision"
    assert entry not in content
    assert 'hx-get="/exports/entries/"' in content
    choices = ENTRY_CHOICES.send(client, owned, headers={"HX-Request": "true"}).content.decode()
    assert choices.lstrip().startswith('<fieldset class="entry-choices"') and entry in choices
    assert entry in client.get(reverse("packs:list") + "?choose=1").content.decode()


@pytest.mark.parametrize("viewer", ["practitioner", *NOT_OWNERS])
def test_requests_belong_to_whoever_makes_them(
    viewer, owned, client_for, request, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(viewer)
    client = client_for(user)
    with django_capture_on_commit_callbacks() as callbacks:
        summary_response = SUMMARY_REQUEST.send(client, owned)
        evidence_pack_response = EXPORT_REQUEST.send(client, owned)

    summary = ReflectiveSummary.objects.for_user(user).order_by("-created_at").first()
    evidence_pack = EvidencePack.objects.for_user(user).order_by("-created_at").first()
    assert summary_response["Location"] == summary.get_absolute_url()
    assert evidence_pack_response["Location"] == evidence_pack.get_absolute_url()
    assert evidence_pack.state == WorkState.QUEUED
    waiting = client.get(evidence_pack.get_absolute_url()).content.decode()
    assert "In the queue, starting shortly." in waiting and "worker" not in waiting
    # The owner's summary for the same inputs already exists: no new request to queue.
    assert len(callbacks) == (1 if user == owned.summary.owner else 2)
    assert ReflectiveSummary.objects.for_user(owned.summary.owner).count() == 1


def test_owner_reads_and_edits_their_summary(owned, practitioner, client_for):
    client = client_for(practitioner)

    page = SUMMARY_DETAIL.send(client, owned).content.decode()
    response = SUMMARY_EDIT.send(client, owned)

    assert "Summary of practice" in page
    assert "strengths-based supervision" in page  # a theme
    assert (
        f'href="{owned.evidence_pack.owner.entries.get(title__startswith="Group").get_absolute_url()}"'
        in page
    )
    assert response.status_code == 302
    owned.summary.refresh_from_db()
    assert owned.summary.text == "Changed by request\n"
    assert "Changed by request" in SUMMARY_DETAIL.send(client, owned).content.decode()


def test_a_summary_still_generating_cannot_be_edited(owned, practitioner, client_for):
    ReflectiveSummary.objects.filter(pk=owned.summary.pk).update(state=WorkState.RUNNING)

    assert SUMMARY_EDIT_FORM.send(client_for(practitioner), owned).status_code == 404


def test_polling_a_generating_summary_returns_the_status_then_refreshes(
    owned, practitioner, client_for
):
    client = client_for(practitioner)
    ReflectiveSummary.objects.filter(pk=owned.summary.pk).update(state=WorkState.RUNNING)

    pending = SUMMARY_DETAIL.send(client, owned, HTTP_HX_REQUEST="true")
    ReflectiveSummary.objects.filter(pk=owned.summary.pk).update(state=WorkState.DONE)
    done = SUMMARY_DETAIL.send(client, owned, HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in pending.content.decode()
    assert "<html" not in pending.content.decode()
    assert "HX-Refresh" not in pending
    assert done["HX-Refresh"] == "true"


def test_owner_downloads_the_pack(owned, practitioner, client_for):
    response = EXPORT_DOWNLOAD.send(client_for(practitioner), owned)

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert hashlib.sha256(body).hexdigest() == owned.evidence_pack.sha256
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="cpd-evidence-pack-2025-12-01-to-2026-11-30.zip"'
    )
    assert "private" in response["Cache-Control"]


def test_status_shows_progress_then_the_download(owned, practitioner, client_for):
    client = client_for(practitioner)
    EvidencePack.objects.filter(pk=owned.evidence_pack.pk).update(
        state=WorkState.RUNNING, progress=42, step="Rendered Activities"
    )

    running = EXPORT_STATUS.send(client, owned).content.decode()
    EvidencePack.objects.filter(pk=owned.evidence_pack.pk).update(
        state=WorkState.DONE, progress=100
    )
    done = EXPORT_STATUS.send(client, owned).content.decode()

    assert '<progress id="export-progress" max="100" value="42">' in running
    assert 'hx-trigger="every 1s"' in running
    assert "Rendered Activities" in running
    assert "hx-trigger" not in done
    assert reverse("packs:download", args=[owned.evidence_pack.pk]) in done


def test_expired_pack_is_gone_but_still_verifiable(owned, practitioner, client_for):
    stored = owned.evidence_pack.file.name
    storage = owned.evidence_pack.file.storage

    assert (
        delete_expired_evidence_packs(owned.evidence_pack.expires_at + dt.timedelta(seconds=1)) == 1
    )
    assert delete_expired_evidence_packs(owned.evidence_pack.expires_at + dt.timedelta(days=1)) == 0

    owned.evidence_pack.refresh_from_db()
    assert owned.evidence_pack.state == WorkState.EXPIRED
    assert not storage.exists(stored)
    assert EXPORT_DOWNLOAD.send(client_for(practitioner), owned).status_code == 404
    assert VERIFY.send(client_for(None), owned).status_code == 200


def test_packs_not_yet_expired_are_kept(owned):
    assert (
        delete_expired_evidence_packs(owned.evidence_pack.expires_at - dt.timedelta(seconds=1)) == 0
    )
    owned.evidence_pack.refresh_from_db()
    assert owned.evidence_pack.state == WorkState.DONE
    assert owned.evidence_pack.file.storage.exists(owned.evidence_pack.file.name)


def test_a_pack_past_its_expiry_is_not_downloadable_before_the_cleanup(
    owned, practitioner, client_for
):
    EvidencePack.objects.filter(pk=owned.evidence_pack.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert EXPORT_DOWNLOAD.send(client_for(practitioner), owned).status_code == 404


def test_renewal_sheet_page_shows_the_regulators_fields(owned, practitioner, client_for):
    content = RENEWAL_SHEET.send(client_for(practitioner), owned).content.decode()

    assert "A short description of the activity and why it is relevant to you" in content
    assert "The positive impact on your practice and the people you work with" in content
    assert "Social Work England" in content
    assert "Group supervision on mental capacity assessments" in content
    assert "Last year" not in content


# --- Verification: public, and reveals nothing of the content -------------------------------


@pytest.mark.parametrize("viewer", [None, "practitioner", *NOT_OWNERS])
def test_verify_page_says_who_what_period_and_when_but_nothing_inside(
    viewer, owned, client_for, request
):
    client = client_for(request.getfixturevalue(viewer) if viewer else None)

    response = VERIFY.send(client, owned)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Alex Morgan" in content
    assert "1 December 2025 to 30 November 2026" in content
    assert owned.evidence_pack.sha256 in content
    for secret in (
        "alex@example.org",
        "SW123456",
        "strengths-based",
        "Group supervision",
        "Chat transcript",
        "Chat_transcript",
    ):
        assert secret.lower() not in content.lower(), secret


def test_verify_shows_the_name_the_pack_was_exported_under(owned, practitioner, client_for):
    practitioner.display_name = "Alex Morgan-Reyes"
    practitioner.save()

    content = VERIFY.send(client_for(None), owned).content.decode()

    assert "Alex Morgan" in content
    assert "Morgan-Reyes" not in content


def test_packs_made_before_names_were_recorded_take_the_current_name(owned, practitioner):
    backfill = importlib.import_module("packs.migrations.0004_backfill_exporter_name")
    EvidencePack.objects.filter(pk=owned.evidence_pack.pk).update(exporter_name="")
    practitioner.display_name = "Alex Morgan-Reyes"
    practitioner.save()

    backfill.record_current_names(apps, schema_editor=None)

    owned.evidence_pack.refresh_from_db()
    assert owned.evidence_pack.exporter_name == "Alex Morgan-Reyes"


def _upload(data: bytes) -> dict:
    return {"file": SimpleUploadedFile("pack.zip", data, "application/zip")}


def test_verify_says_whether_an_uploaded_file_matches(owned, client_for):
    with owned.evidence_pack.file.open("rb") as handle:
        genuine = handle.read()
    client = client_for(None)
    url = VERIFY.url(owned)

    matching = client.post(url, _upload(genuine)).content.decode()
    tampered = client.post(url, _upload(genuine[:-1] + b"x")).content.decode()

    assert "It matches." in matching
    assert "It does not match." not in matching
    assert "It does not match." in tampered
    assert "It matches." not in tampered


def test_verify_refuses_a_file_over_the_limit(owned, client_for, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 1000
    client = client_for(None)

    small_but_over = client.post(VERIFY.url(owned), _upload(b"x" * 1001))
    far_over = client.post(VERIFY.url(owned), _upload(b"x" * 200_000))

    assert "the limit is" in small_but_over.content.decode()
    assert "It does not match." not in small_but_over.content.decode()
    assert far_over.status_code == 413


def test_verify_survives_a_malformed_content_length(owned, client_for):
    response = client_for(None).post(VERIFY.url(owned), _upload(b"x"), CONTENT_LENGTH="many")

    assert response.status_code == 200


@pytest.mark.parametrize("state", [WorkState.QUEUED, WorkState.RUNNING, WorkState.FAILED])
def test_verify_knows_nothing_of_a_pack_that_was_never_built(state, owned, client_for):
    EvidencePack.objects.filter(pk=owned.evidence_pack.pk).update(state=state)

    assert VERIFY.send(client_for(None), owned).status_code == 404


def test_verify_of_an_unknown_id_is_not_found(client_for, db):
    url = reverse("packs:verify", args=["00000000-0000-4000-8000-000000000000"])
    assert client_for(None).get(url).status_code == 404


def test_after_an_error_the_choices_come_back_with_the_ticks_kept(
    practitioner, other_practitioner, client_for
):
    mine, also_mine = make_entry(practitioner), make_entry(practitioner)
    theirs = make_entry(other_practitioner)

    response = client_for(practitioner).post(
        reverse("packs:list"), {"include": "selection", "entries": [mine.pk, theirs.pk]}
    )

    assert response.status_code == 200
    assert EvidencePack.objects.for_user(practitioner).count() == 0
    boxes = {
        re.search(r'value="(\d+)"', box)[1]: " checked" in box
        for box in re.findall(r'<input type="checkbox" name="entries"[^>]*>', response.text)
    }
    assert boxes == {str(mine.pk): True, str(also_mine.pk): False}
    assert "Select a valid choice" in response.text
