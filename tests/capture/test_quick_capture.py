"""Quick capture: the form posted without JavaScript, and the JSON sync the offline page uses.
Either way a capture is a draft made once per client id, checked by the same rules."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portfolio import entries
from portfolio.models import ActivityType, Entry, Platform, Status
from tests.factories import make_entry

pytestmark = pytest.mark.calendar  # a capture is dated today

CAPTURE = reverse("capture:capture")
SYNC = reverse("capture:sync")
POST_URL = "https://mastodon.social/@amhp/112233445566778899"


def capture_fields(**changes) -> dict:
    fields = {
        "client_id": str(uuid.uuid4()),
        "title": "Thread on capacity assessments",
        "url": POST_URL,
        "activity_type": "",
        "occurred_on": "2026-03-10",
        "duration": "20m",
        "note": "Good point about supported decision-making.",
    }
    fields.update(changes)
    return fields


def sync(client: Client, payload, content_type: str = "application/json"):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(SYNC, data=body, content_type=content_type)


# --- The page without JavaScript -------------------------------------------------------------


def test_the_page_offers_the_form_and_the_bookmarklet(practitioner, client_for):
    response = client_for(practitioner).get(CAPTURE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Quick capture</h1>" in html
    assert (
        'href="javascript:(()=&gt;{window.open(&quot;http://testserver/capture/link/?url=' in html
    )
    assert 'name="client_id"' in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert f'type="module" src="{static("capture/capture.js")}"' in html


def test_a_capture_becomes_a_draft_with_a_prompt_to_reflect(practitioner, client_for):
    client = client_for(practitioner)
    fields = capture_fields()
    response = client.post(CAPTURE, fields)
    assert response.status_code == 302 and response["Location"] == CAPTURE

    draft = Entry.objects.for_user(practitioner).get()
    assert draft.status == Status.DRAFT
    assert str(draft.client_id) == fields["client_id"]
    assert (draft.title, draft.url, draft.occurred_on) == (
        fields["title"],
        POST_URL,
        dt.date(2026, 3, 10),
    )
    assert (draft.activity_type, draft.platform) == (ActivityType.TWEET_READ, Platform.MASTODON)
    assert (draft.duration_minutes, draft.what_happened) == (20, fields["note"])

    page = client.get(CAPTURE).content.decode()
    assert "Saved “Thread on capacity assessments” as a draft." in page
    assert "Add your reflection when you have a moment" in page


def test_sending_the_same_form_twice_makes_one_draft(practitioner, client_for):
    client = client_for(practitioner)
    fields = capture_fields()
    client.post(CAPTURE, fields)
    client.post(CAPTURE, fields)
    assert Entry.objects.for_user(practitioner).count() == 1
    assert "Already saved" in client.get(CAPTURE).content.decode()


def test_a_chosen_type_wins_and_no_link_means_no_platform(practitioner, client_for):
    client_for(practitioner).post(
        CAPTURE, capture_fields(url="", activity_type=ActivityType.PEER_DISCUSSION)
    )
    draft = Entry.objects.for_user(practitioner).get()
    assert (draft.activity_type, draft.platform, draft.url) == (
        ActivityType.PEER_DISCUSSION,
        "",
        "",
    )
    client_for(practitioner).post(CAPTURE, capture_fields(url=""))
    assert Entry.objects.for_user(practitioner).filter(activity_type=ActivityType.OTHER).exists()


def test_bad_input_is_explained_and_nothing_typed_is_lost(practitioner, client_for):
    fields = capture_fields(
        title="",
        url="javascript:alert(1)",
        occurred_on="1999-12-31",
        duration="ages",
        note="Keep this note",
    )
    response = client_for(practitioner).post(CAPTURE, fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Give it a title or a link, so you can find it again."]
    assert errors["url"] == ["Enter a web address that starts with http:// or https://."]
    assert errors["occurred_on"] == ["31 December 1999 is before 2000: check the year."]
    assert "is not a time we understand" in errors["duration"][0]
    html = response.content.decode()
    assert "nothing you typed has been lost" in html
    assert "Keep this note" in html and 'value="ages"' in html
    assert f'value="{fields["client_id"]}"' in html  # the retry is the same capture
    assert not Entry.objects.exists()


# --- The JSON sync -----------------------------------------------------------------------------


def test_sync_makes_a_draft_once_per_client_id(practitioner, client_for):
    client = client_for(practitioner)
    fields = capture_fields()
    first = sync(client, fields)
    assert first.status_code == 201
    draft = Entry.objects.for_user(practitioner).get()
    assert first.json() == {
        "id": draft.pk,
        "title": fields["title"],
        "url": f"http://testserver{draft.get_absolute_url()}",
        "reflect_url": reverse("portfolio:entry_edit", args=[draft.pk]),
        "created": True,
    }
    assert (draft.status, draft.what_happened) == (Status.DRAFT, fields["note"])

    again = sync(client, {**fields, "title": "Changed on a retry"})
    assert again.status_code == 200
    assert again.json()["id"] == draft.pk and again.json()["created"] is False
    assert Entry.objects.for_user(practitioner).get().title == fields["title"]


def test_a_client_id_is_per_account(practitioner, other_practitioner, client_for):
    fields = capture_fields()
    assert sync(client_for(practitioner), fields).status_code == 201
    response = sync(client_for(other_practitioner), {**fields, "title": "Jo's own"})
    assert response.status_code == 201
    theirs = Entry.objects.for_user(other_practitioner).get()
    assert theirs.title == "Jo's own" and response.json()["id"] == theirs.pk
    assert Entry.objects.for_user(practitioner).get().title == fields["title"]


def test_sync_explains_each_problem_as_json(practitioner, client_for):
    response = sync(
        client_for(practitioner),
        capture_fields(
            title="  ", url="ftp://example.org/x", occurred_on="2026-02-30", duration="0"
        ),
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "title": ["Give it a title or a link, so you can find it again."],
            "url": ["Enter a web address that starts with http:// or https://."],
            "occurred_on": ["Enter a real date, such as 21/11/2026."],
            "duration": ["Time spent must be more than zero."],
        }
    }
    assert not Entry.objects.exists()


def test_sync_needs_a_client_id_and_takes_numbers_and_nulls(practitioner, client_for):
    client = client_for(practitioner)
    missing = sync(client, capture_fields(client_id=None))
    assert missing.status_code == 400
    assert list(missing.json()["errors"]) == ["client_id"]

    response = sync(client, capture_fields(duration=45, note=None, url=None))
    assert response.status_code == 201
    draft = Entry.objects.get()
    assert (draft.duration_minutes, draft.what_happened, draft.url) == (45, "", "")


@pytest.mark.parametrize("value", [["a", "list"], {"an": "object"}, True])
def test_sync_refuses_values_that_are_not_text(practitioner, client_for, value):
    response = sync(client_for(practitioner), capture_fields(title=value))
    assert response.status_code == 400
    assert response.json()["errors"]["title"] == ["Send this as text."]
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "The capture could not be read: it is not valid JSON."),
        (b"\xff\xfe", "The capture could not be read: it is not valid JSON."),
        ("[1, 2]", "Send the capture as one JSON object of its fields."),
        ('"a string"', "Send the capture as one JSON object of its fields."),
    ],
)
def test_sync_refuses_what_is_not_a_json_object(practitioner, client_for, body, message):
    response = sync(client_for(practitioner), body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_sync_wants_json(practitioner, client_for):
    response = client_for(practitioner).post(SYNC, capture_fields())  # a form post
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]
    assert not Entry.objects.exists()


def test_sync_answers_a_logged_out_browser_in_json(client, db):
    response = sync(client, capture_fields())
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Log in to send your saved drafts."}
    assert not Entry.objects.exists()


def test_sync_only_posts(practitioner, client_for):
    assert client_for(practitioner).get(SYNC).status_code == 405


def test_sync_refuses_a_capture_saved_by_another_account(
    practitioner, other_practitioner, client_for
):
    response = sync(client_for(practitioner), capture_fields(account=other_practitioner.pk))
    assert response.status_code == 409
    assert "another account" in response.json()["error"]
    assert not Entry.objects.exists()
    assert (
        sync(client_for(practitioner), capture_fields(account=practitioner.pk)).status_code == 201
    )


def test_sync_needs_the_csrf_token_from_the_cookie(practitioner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    client.get(CAPTURE)  # sets the csrftoken cookie, as opening the page does
    assert sync(client, capture_fields()).status_code == 403
    token = client.cookies["csrftoken"].value
    response = client.post(
        SYNC, json.dumps(capture_fields()), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_two_syncs_of_one_capture_racing_make_one_draft(practitioner, monkeypatch):
    """Both requests pass the "do I have it already?" check before either saves: the unique
    constraint lets one in, and the other answers with that one's draft."""
    both_checked = threading.Barrier(2, timeout=10)
    save = entries.save_entry

    def save_once_both_have_checked(*args, **kwargs):
        both_checked.wait()
        return save(*args, **kwargs)

    monkeypatch.setattr(entries, "save_entry", save_once_both_have_checked)
    fields = capture_fields()
    answers = []

    def send():
        try:
            client = Client()
            client.force_login(practitioner)
            response = sync(client, fields)
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    draft = Entry.objects.for_user(practitioner).get()
    assert sorted(answers) == [(200, draft.pk), (201, draft.pk)]


def test_the_dashboard_offers_to_reflect_on_each_waiting_draft(practitioner, client_for):
    drafts = [
        make_entry(practitioner, title=title, status=Status.DRAFT, occurred_on=timezone.localdate())
        for title in ("Captured thread one", "Captured post two")
    ]
    make_entry(practitioner, title="A complete entry", occurred_on=timezone.localdate())
    html = client_for(practitioner).get(reverse("portfolio:dashboard")).content.decode()
    assert html.count(">Add your reflection</a>") == 2
    for draft in drafts:
        edit = reverse("portfolio:entry_edit", args=[draft.pk])
        assert (
            f'<a href="{edit}" aria-label="Add your reflection: {draft.title}">'
            "Add your reflection</a>"
        ) in html
