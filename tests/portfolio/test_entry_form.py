import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Entry, Evidence, Status
from tests.factories import make_entry

pytestmark = pytest.mark.calendar  # a complete entry may not be dated after today

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
NEW = reverse("portfolio:entry_create")


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_logs_a_complete_entry_with_tags_capabilities_and_evidence(
    practitioner, client_for, form_data, private_media
):
    form_data["evidence"] = [
        SimpleUploadedFile("chat-notes.pdf", PDF),
        SimpleUploadedFile("slide.png", PNG),
    ]
    response = client_for(practitioner).post(NEW, form_data)
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert entry.owner == practitioner
    assert entry.status == Status.COMPLETE
    assert entry.duration_minutes == 60
    assert entry.hashtag == "SWSCmedia"
    assert sorted(c.code for c in entry.capabilities.all()) == ["PCF5", "SWE4"]
    assert sorted(t.name for t in entry.tags.all()) == ["Education", "social media"]
    evidence = list(entry.evidence.all())
    assert [(e.original_name, e.content_type) for e in evidence] == [
        ("chat-notes.pdf", "application/pdf"),
        ("slide.png", "image/png"),
    ]
    assert len(stored_files(private_media)) == 2
    assert all(practitioner.email not in e.file.name for e in evidence)


def test_tags_are_reused_case_insensitively(practitioner, client_for, form_data):
    client = client_for(practitioner)
    client.post(NEW, form_data)
    client.post(NEW, {**form_data, "title": "Another chat", "tag_names": "SOCIAL MEDIA"})
    assert practitioner.entries.count() == 2
    from portfolio.models import Tag

    assert [t.name for t in Tag.objects.for_user(practitioner)] == ["Education", "social media"]


def test_a_draft_needs_no_reflection(practitioner, client_for, form_data):
    data = {**form_data, "action": "draft", "what_learned": "", "impact": "", "duration": ""}
    response = client_for(practitioner).post(NEW, data)
    assert response.status_code == 302
    assert Entry.objects.get().status == Status.DRAFT


def assert_kept_everything(html: str, form_data: dict) -> None:
    """Nothing the user typed is lost when the form comes back with an error."""
    for name in ("what_happened", "what_learned", "impact"):
        assert form_data[name] in html
    assert f'value="{form_data["title"]}"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"what_learned": "  "},
            "what_learned",
            "A complete entry needs this part of the reflection.",
        ),
        ({"duration": "-30"}, "duration", "Time spent cannot be negative."),
        ({"duration": "an hour"}, "duration", "is not a time we understand"),
        ({"occurred_on": "31/02/2026"}, "occurred_on", "Enter a real date, such as 21/11/2026."),
        ({"occurred_on": "yesterday"}, "occurred_on", "Enter a real date, such as 21/11/2026."),
        ({"occurred_on": "1899-12-01"}, "occurred_on", "is before 2000: check the year."),
        (
            {"url": "javascript:alert(1)"},
            "url",
            "Enter a web address that starts with http:// or https://.",
        ),
        (
            {"url": "data:text/html,hi"},
            "url",
            "Enter a web address that starts with http:// or https://.",
        ),
        ({"is_peer_reflected": "on"}, "peer_role", "their role, not their name"),
        ({"activity_type": "tweeting"}, "activity_type", "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_clear_error_and_loses_nothing(
    practitioner, client_for, form_data, changes, field, message
):
    data = {**form_data, **changes}
    response = client_for(practitioner).post(NEW, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert_kept_everything(response.content.decode(), data)
    assert not Entry.objects.exists()


def test_a_complete_entry_cannot_be_dated_in_the_future_but_a_draft_can(
    practitioner, client_for, form_data
):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client = client_for(practitioner)
    response = client.post(NEW, {**form_data, "occurred_on": tomorrow})
    assert "cannot be dated in the future" in response.context["form"].errors["occurred_on"][0]
    response = client.post(NEW, {**form_data, "occurred_on": tomorrow, "action": "draft"})
    assert response.status_code == 302
    assert Entry.objects.get().status == Status.DRAFT


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("minutes.pdf", PNG),
            "minutes.pdf is named as a PDF but its content looks like a .png",
        ),
        (SimpleUploadedFile("script.js", b"alert(1)"), "script.js is not a file type we keep"),
    ],
)
def test_mistyped_files_are_refused_and_nothing_is_stored(
    practitioner, client_for, form_data, private_media, upload, message
):
    response = client_for(practitioner).post(NEW, {**form_data, "evidence": [upload]})
    errors = response.context["form"].errors["evidence"]
    assert any(message in e for e in errors), errors
    assert "Nothing else you typed or attached is lost" in errors[-1]
    assert_kept_everything(response.content.decode(), form_data)
    assert not Entry.objects.exists()
    assert stored_files(private_media) == []


def test_oversized_file_is_refused(practitioner, client_for, form_data, settings, private_media):
    settings.EVIDENCE_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"x" * 500)
    response = client_for(practitioner).post(NEW, {**form_data, "evidence": [upload]})
    assert (
        "big.pdf is 545\xa0bytes; the limit is 100\xa0bytes"
        in response.context["form"].errors["evidence"][0]
    )
    assert not Entry.objects.exists()
    assert stored_files(private_media) == []


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize("editing", [False, True])
def test_a_request_declaring_more_than_the_limit_is_refused_before_its_body_is_read(
    practitioner, client_for, settings, private_media, editing
):
    settings.EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    entry = make_entry(practitioner, title="Kept as it was") if editing else None
    url = reverse("portfolio:entry_edit", args=[entry.pk]) if editing else NEW

    response = client_for(practitioner).generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(4 * 1024**3),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is 4.0\xa0GB; the limit is 10.0\xa0MB." in page
    assert "Try saving a smaller copy" in page, "the advice an oversized file gets"
    assert Entry.objects.count() == (1 if editing else 0)
    assert stored_files(private_media) == []


def test_a_request_within_the_limit_and_its_form_is_read(
    practitioner, client_for, form_data, settings
):
    settings.EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("small.pdf", PDF + b"x" * 900)

    response = client_for(practitioner).post(NEW, {**form_data, "evidence": [upload]})

    assert response.status_code == 302
    assert Evidence.objects.count() == 1


def test_script_tags_are_kept_as_typed_and_shown_as_text(practitioner, client_for, form_data):
    hostile = "<script>alert('x')</script> and <img src=x onerror=alert(1)>"
    client = client_for(practitioner)
    client.post(NEW, {**form_data, "what_learned": hostile})
    entry = Entry.objects.get()
    assert entry.what_learned == hostile
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html


def test_identifying_details_warn_and_nothing_is_saved_until_confirmed(
    practitioner, client_for, form_data
):
    client = client_for(practitioner)
    data = {**form_data, "what_happened": "Visited Mr B, NHS number 943 476 5919, at SW1A 1AA."}
    response = client.post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Entry.objects.exists()
    assert "A NHS number (“943 476 5919”) in <em>What happened?</em>" in html
    assert "A UK postcode (“SW1A 1AA”) in <em>What happened?</em>" in html
    assert 'name="confirm_no_identifying_details"' in html
    assert_kept_everything(html, data)

    response = client.post(NEW, {**data, "confirm_no_identifying_details": "on"})
    assert response.status_code == 302
    assert Entry.objects.get().what_happened == data["what_happened"]


def test_live_confidentiality_check_returns_the_warning(practitioner, client_for):
    url = reverse("portfolio:confidentiality_check")
    client = client_for(practitioner)
    warning = client.post(url, {"impact": "Call 07700 900123 to follow up"}, HTTP_HX_REQUEST="true")
    assert (
        "A phone number (“07700 900123”) in <em>What will I do differently"
        in warning.content.decode()
    )
    clean = client.post(url, {"impact": "Discussed at the #SWSCmedia chat on 29 November 2011"})
    assert clean.status_code == 200
    assert clean.content.decode().strip() == ""


def test_each_text_field_asks_for_its_own_warnings_while_typing(practitioner, client_for):
    html = client_for(practitioner).get(NEW).content.decode()
    url = reverse("portfolio:confidentiality_check_field", args=["what_happened"])
    textarea = re.search(r"<textarea[^>]*name=\"what_happened\"[^>]*>", html)[0]
    assert f'hx-post="{url}"' in textarea
    assert 'hx-params="what_happened"' in textarea
    assert 'hx-target="#id_what_happened_confidentiality"' in textarea
    assert 'hx-trigger="input changed delay:600ms, blur"' in textarea
    # The warning's place comes straight after the field (and its help text).
    after = html[html.index(textarea) :]
    assert after.index('id="id_what_happened_confidentiality"') < after.index("<label")


def test_field_check_returns_the_warnings_for_that_field_only(practitioner, client_for):
    client = client_for(practitioner)
    url = reverse("portfolio:confidentiality_check_field", args=["what_happened"])
    response = client.post(
        url,
        {"what_happened": "Met Mrs Jones at 14 Acacia Road", "impact": "Call 07700 900123"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Name with a title “Mrs Jones”" in html
    assert "house number and street “14 Acacia Road”" in html
    assert "07700 900123" not in html
    clean = client.post(url, {"what_happened": "Munro (2011) and the Care Act 2014 section 42"})
    assert clean.content.decode().strip() == ""
    not_a_text_field = reverse("portfolio:confidentiality_check_field", args=["duration"])
    assert client.post(not_a_text_field, {"duration": "Mrs Jones"}).status_code == 404


def test_field_check_refuses_anonymous_visitors(client):
    url = reverse("portfolio:confidentiality_check_field", args=["what_happened"])
    response = client.post(url, {"what_happened": "Met Mrs Jones"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_names_and_addresses_warn_but_the_entry_is_saved_and_the_warning_repeated(
    practitioner, client_for, form_data
):
    client = client_for(practitioner)
    data = {**form_data, "what_happened": "Met Mrs Jones at 14 Acacia Road."}
    response = client.post(NEW, data, follow=True)
    assert Entry.objects.get().what_happened == data["what_happened"]
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "Check that this does not identify anyone who uses services: name with a title "
        "“Mrs Jones” in What happened?; house number and street “14 Acacia Road” in What "
        "happened?." in messages
    )

    # Once ticked as identifying no one, it is not repeated.
    data["title"] = "A second visit"
    response = client.post(NEW, {**data, "confirm_no_identifying_details": "on"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_summary_on_a_form_with_errors_lists_names_without_asking_to_confirm(
    practitioner, client_for, form_data
):
    data = {**form_data, "what_happened": "Met Mrs Jones.", "duration": "not a duration"}
    html = client_for(practitioner).post(NEW, data).content.decode()
    assert not Entry.objects.exists()
    summary = html[html.index('id="confidentiality"') :]
    assert "A name with a title (“Mrs Jones”) in <em>What happened?</em>" in summary
    assert 'name="confirm_no_identifying_details"' not in summary
    # And beside the field itself.
    field = html[html.index('id="id_what_happened_confidentiality"') :]
    assert "Name with a title “Mrs Jones”" in field[:400]


def test_editing_keeps_and_removes_evidence(
    practitioner, client_for, form_data, private_media, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)
    client.post(
        NEW,
        {
            **form_data,
            "evidence": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
        },
    )
    entry = Entry.objects.get()
    keep, remove = entry.evidence.all()
    edit = reverse("portfolio:entry_edit", args=[entry.pk])
    page = client.get(edit).content.decode()
    assert 'value="1h"' in page
    assert 'value="Education, social media"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit, {**form_data, "title": "Renamed", "remove_evidence": [remove.pk]}
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Renamed"
    assert list(entry.evidence.all()) == [keep]
    assert [p.name for p in stored_files(private_media)] == [keep.file.name.rsplit("/", 1)[-1]]


def test_delete_asks_first_then_removes_entry_and_files(
    practitioner, client_for, form_data, private_media, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)
    client.post(NEW, {**form_data, "evidence": [SimpleUploadedFile("a.pdf", PDF)]})
    entry = Entry.objects.get()
    url = reverse("portfolio:entry_delete", args=[entry.pk])
    confirm = client.get(url)
    assert "This removes the entry, its reflection and 1 attached file." in confirm.content.decode()
    assert Entry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("portfolio:entry_list")
    assert not Entry.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(private_media) == []


def test_form_offers_capabilities_grouped_by_framework(practitioner, client_for):
    make_entry(practitioner)
    html = client_for(practitioner).get(NEW).content.decode()
    assert "<legend>Professional Capabilities Framework</legend>" in html
    assert "<legend>Social Work England professional standards</legend>" in html
    assert html.count('name="capabilities"') == 15
