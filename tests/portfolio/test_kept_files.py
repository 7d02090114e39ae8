"""Files chosen on an entry's form that comes back with an error stay attached: held against
the form's token (portfolio/pending_evidence.py), listed with a way to remove them, and made
the entry's evidence when it is saved; abandoned ones are swept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.erasure import erase_account
from core.leftovers import sweep_leftovers
from portfolio.entries import save_entry
from portfolio.models import Entry, PendingEvidence
from tests.factories import make_entry
from tests.portfolio.test_entry_form import (
    NEW,
    PDF,
    PNG,
    assert_kept_everything,
    stored_files,
)

pytestmark = pytest.mark.calendar  # a complete entry may not be dated after today


def pdf(name: str = "report.pdf", padding: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"0" * padding)


def fail_with_files(client, url: str, data: dict, *files, **changes):
    """Post the form with its title left empty (a required field), choosing ``files``."""
    response = client.post(url, {**data, "title": "", "evidence": list(files), **changes})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    return response


def token_of(response) -> str:
    return response.context["form"].upload_token


def held_names(response) -> list[str]:
    return [held.original_name for held in response.context["form"].held]


def test_a_file_chosen_on_a_new_entry_is_kept_across_an_error_and_saved_with_it(
    practitioner, client_for, form_data, private_media, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)
    response = fail_with_files(client, NEW, form_data, pdf())

    page = response.content.decode()
    assert "Attached, kept until you save" in page
    assert "report.pdf" in page
    assert f'name="upload_token" value="{token_of(response)}"' in page
    assert held_names(response) == ["report.pdf"]
    assert not Entry.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**form_data, "upload_token": token_of(response)})

    assert response.status_code == 302
    evidence = Entry.objects.get().evidence.get()
    assert (evidence.original_name, evidence.content_type) == ("report.pdf", "application/pdf")
    assert evidence.file.read() == PDF
    assert not PendingEvidence.objects.exists()
    assert [p.relative_to(private_media).parts[0] for p in stored_files(private_media)] == [
        "evidence"
    ], "the held copy is gone once it is evidence"


def test_a_file_chosen_while_editing_is_kept_across_an_error_and_saved(
    practitioner, client_for, form_data, private_media
):
    entry = make_entry(practitioner, title="Supervision on the MCA")
    edit = reverse("portfolio:entry_edit", args=[entry.pk])
    client = client_for(practitioner)

    response = fail_with_files(client, edit, form_data, pdf("notes.pdf"))
    assert held_names(response) == ["notes.pdf"]
    assert "notes.pdf" in response.content.decode()

    response = client.post(edit, {**form_data, "upload_token": token_of(response)})

    assert response.status_code == 302
    assert [e.original_name for e in entry.evidence.all()] == ["notes.pdf"]
    assert not PendingEvidence.objects.exists()


def test_files_chosen_over_several_tries_are_all_kept(practitioner, client_for, form_data):
    client = client_for(practitioner)
    first = fail_with_files(client, NEW, form_data, pdf("a.pdf"))
    second = fail_with_files(client, NEW, form_data, pdf("b.pdf"), upload_token=token_of(first))
    assert held_names(second) == ["a.pdf", "b.pdf"]

    client.post(NEW, {**form_data, "upload_token": token_of(second), "evidence": [pdf("c.pdf")]})

    names = [e.original_name for e in Entry.objects.get().evidence.all()]
    assert sorted(names) == ["a.pdf", "b.pdf", "c.pdf"]


def test_a_held_file_can_be_removed_and_is_then_neither_listed_nor_saved(
    practitioner, client_for, form_data, private_media, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)
    response = fail_with_files(client, NEW, form_data, pdf("keep.pdf"), pdf("drop.pdf"))
    token = token_of(response)
    drop = PendingEvidence.objects.get(original_name="drop.pdf")
    page = response.content.decode()
    assert f'name="remove_held" value="{drop.pk}"' in page
    assert 'Remove<span class="visually-hidden"> drop.pdf</span>' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = fail_with_files(
            client, NEW, form_data, upload_token=token, remove_held=[drop.pk]
        )
    assert held_names(response) == ["keep.pdf"]
    assert "drop.pdf" not in response.content.decode()
    assert not (private_media / drop.file.name).exists()

    keep = PendingEvidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**form_data, "upload_token": token})
    assert [e.original_name for e in Entry.objects.get().evidence.all()] == ["keep.pdf"]
    assert not (private_media / keep.file.name).exists()


def test_a_held_file_ticked_for_removal_on_the_saving_try_is_not_saved(
    practitioner, client_for, form_data, private_media, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)
    response = fail_with_files(client, NEW, form_data, pdf("drop.pdf"))
    drop = PendingEvidence.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            NEW, {**form_data, "upload_token": token_of(response), "remove_held": [drop.pk]}
        )

    assert not Entry.objects.get().evidence.exists()
    assert not PendingEvidence.objects.exists()
    assert stored_files(private_media) == []


def test_a_bad_file_is_refused_with_its_reason_while_good_ones_and_the_text_are_kept(
    practitioner, client_for, form_data, private_media
):
    client = client_for(practitioner)
    response = client.post(
        NEW, {**form_data, "evidence": [pdf("report.pdf"), SimpleUploadedFile("minutes.pdf", PNG)]}
    )

    errors = response.context["form"].errors["evidence"]
    assert any(
        "minutes.pdf is named as a PDF but its content looks like a .png" in e for e in errors
    )
    assert "Nothing else you typed or attached is lost" in errors[-1]
    assert held_names(response) == ["report.pdf"]
    assert_kept_everything(response.content.decode(), form_data)
    assert not Entry.objects.exists()

    client.post(NEW, {**form_data, "upload_token": token_of(response)})
    assert [e.original_name for e in Entry.objects.get().evidence.all()] == ["report.pdf"]


def test_held_files_count_toward_what_one_save_may_carry(
    practitioner, client_for, form_data, settings
):
    settings.EVIDENCE_MAX_BYTES = 1024
    client = client_for(practitioner)
    first = fail_with_files(client, NEW, form_data, pdf("first.pdf", padding=600))
    token = token_of(first)

    response = client.post(
        NEW, {**form_data, "upload_token": token, "evidence": [pdf("second.pdf", padding=600)]}
    )

    errors = response.context["form"].errors["evidence"]
    total = filesizeformat(2 * (len(PDF) + 600))
    assert any(f"second.pdf would bring this save's files to {total}" in e for e in errors), errors
    assert held_names(response) == ["first.pdf"], "the one over the limit is not held"
    assert not Entry.objects.exists()

    first_held = PendingEvidence.objects.get()
    response = client.post(
        NEW,
        {
            **form_data,
            "upload_token": token,
            "remove_held": [first_held.pk],
            "evidence": [pdf("second.pdf", padding=600)],
        },
    )
    assert response.status_code == 302, "a file removed frees its room"
    assert [e.original_name for e in Entry.objects.get().evidence.all()] == ["second.pdf"]


def test_someone_elses_token_holds_nothing_of_theirs(
    practitioner, other_practitioner, client_for, form_data, private_media
):
    theirs = fail_with_files(client_for(other_practitioner), NEW, form_data, pdf("theirs.pdf"))
    token = token_of(theirs)
    their_file = PendingEvidence.objects.get()
    client = client_for(practitioner)

    response = fail_with_files(client, NEW, form_data, upload_token=token)
    assert held_names(response) == []
    assert "theirs.pdf" not in response.content.decode()

    response = fail_with_files(
        client, NEW, form_data, upload_token=token, remove_held=[their_file.pk]
    )
    assert "remove_held" in response.context["form"].errors

    response = client.post(NEW, {**form_data, "upload_token": token})
    assert response.status_code == 302
    assert not Entry.objects.for_user(practitioner).get().evidence.exists()
    assert PendingEvidence.objects.get() == their_file, "theirs is untouched"
    assert (private_media / their_file.file.name).exists()


def test_a_posted_token_that_is_not_one_of_ours_is_replaced(practitioner, client_for, form_data):
    response = fail_with_files(
        client_for(practitioner), NEW, form_data, pdf(), upload_token="../../etc/passwd"
    )
    token = token_of(response)
    assert token != "../../etc/passwd" and len(token) >= 16
    assert PendingEvidence.objects.get().token == token


def test_anonymous_posts_are_sent_to_sign_in_and_hold_nothing(db, client, form_data):
    response = client.post(NEW, {**form_data, "title": "", "evidence": [pdf()]})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not PendingEvidence.objects.exists()


def test_the_form_shown_afresh_does_not_look_for_held_files(
    practitioner, client_for, django_assert_max_num_queries
):
    client = client_for(practitioner)
    client.get(NEW)  # the session and caches warmed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(NEW).status_code == 200
    assert not [q for q in queries if "pendingevidence" in q["sql"]]
    with django_assert_max_num_queries(len(queries)):
        client.get(NEW)


def hold(owner, name: str, *, created_at) -> PendingEvidence:
    pending = PendingEvidence(
        owner=owner,
        token="t" * 32,
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
        created_at=created_at,
    )
    pending.file.save(name, ContentFile(PDF), save=False)
    pending.save()
    return pending


def test_the_sweep_removes_abandoned_held_files_and_their_rows_only(
    practitioner, settings, private_media
):
    settings.PENDING_EVIDENCE_KEEP_SECONDS = 24 * 3600
    now = timezone.now()
    old = hold(practitioner, "old.pdf", created_at=now - dt.timedelta(hours=25))
    young = hold(practitioner, "young.pdf", created_at=now - dt.timedelta(hours=23))

    swept = sweep_leftovers(now)

    assert swept["files"] == 1
    assert list(PendingEvidence.objects.all()) == [young]
    assert not (private_media / old.file.name).exists()
    assert (private_media / young.file.name).exists()


def test_deleting_an_account_removes_its_held_files(
    practitioner, private_media, django_capture_on_commit_callbacks
):
    held = hold(practitioner, "held.pdf", created_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(practitioner)

    assert not PendingEvidence.objects.exists()
    assert not (private_media / held.file.name).exists()


def test_a_second_save_of_the_same_form_attaches_its_held_files_only_once(
    practitioner, private_media
):
    """A double click: both requests read the held file; the first makes it evidence."""
    held = hold(practitioner, "once.pdf", created_at=timezone.now())
    read_by_both = [PendingEvidence.objects.get(pk=held.pk)]
    first = save_entry(
        make_entry(practitioner),
        owner=practitioner,
        capabilities=[],
        tag_names=[],
        held_files=read_by_both,
    )

    second = save_entry(
        make_entry(practitioner),
        owner=practitioner,
        capabilities=[],
        tag_names=[],
        held_files=read_by_both,
    )

    assert [e.original_name for e in first.evidence.all()] == ["once.pdf"]
    assert not second.evidence.exists()


def test_someone_elses_held_files_are_never_attached(
    practitioner, other_practitioner, private_media
):
    theirs = hold(other_practitioner, "theirs.pdf", created_at=timezone.now())

    entry = save_entry(
        make_entry(practitioner),
        owner=practitioner,
        capabilities=[],
        tag_names=[],
        held_files=[theirs],
    )

    assert not entry.evidence.exists()
    assert PendingEvidence.objects.get() == theirs
