"""Who may use quick capture: every view as the practitioner whose captures they are, as
another practitioner, as a programme leader, and anonymously. Everyone signed in captures into
their own log only; the manifest and the service worker are the same public files for all."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils.html import escape

from portfolio.models import Entry, Status
from tests.factories import make_entry

SIGNED_IN = ["practitioner", "other_practitioner", "programme_leader"]
OWNER_TITLE = "Owner's own captured thread"


@pytest.fixture
def owners_draft(practitioner) -> Entry:
    return make_entry(practitioner, title=OWNER_TITLE, status=Status.DRAFT, client_id=uuid.uuid4())


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", SIGNED_IN)
@pytest.mark.parametrize("view", ["capture:capture", "capture:link"])
def test_signed_in_users_get_their_own_capture_pages(request, client_for, owners_draft, who, view):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse(view), {"title": "Shared"})
    assert response.status_code == 200
    html = response.content.decode()
    assert OWNER_TITLE not in html
    if view == "capture:capture":
        assert f'data-account="{user.pk}"' in html


@pytest.mark.parametrize("view", ["capture:capture", "capture:link"])
def test_anonymous_visitors_are_sent_to_log_in(client, db, view):
    assert login_redirect(client.get(reverse(view)))
    assert login_redirect(client.post(reverse(view), {"title": "x"}))
    assert not Entry.objects.exists()


@pytest.mark.parametrize("who", SIGNED_IN)
def test_a_capture_lands_in_the_senders_log(request, client_for, owners_draft, who):
    user = request.getfixturevalue(who)
    payload = {
        # The owner's client id: for anyone else it names nothing of theirs.
        "client_id": str(owners_draft.client_id),
        "title": f"Captured by {who}",
        "occurred_on": "2026-03-10",
    }
    response = client_for(user).post(
        reverse("capture:sync"), json.dumps(payload), content_type="application/json"
    )
    mine = Entry.objects.for_user(user).get(client_id=owners_draft.client_id)
    assert response.json()["id"] == mine.pk
    if who == "practitioner":
        assert response.status_code == 200 and mine == owners_draft
    else:
        assert response.status_code == 201 and mine.title == f"Captured by {who}"
    owners_draft.refresh_from_db()
    assert owners_draft.title == OWNER_TITLE


def test_anonymous_sync_is_refused_in_json(client, db):
    response = client.post(
        reverse("capture:sync"),
        json.dumps({"title": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 401 and "error" in response.json()


@pytest.mark.parametrize("who", [*SIGNED_IN, None])
@pytest.mark.parametrize("view", ["capture:manifest", "capture:service_worker"])
def test_the_app_files_are_the_same_for_everyone(request, client, client_for, db, who, view):
    anonymous = client.get(reverse(view))
    viewer = client_for(request.getfixturevalue(who)) if who else client
    response = viewer.get(reverse(view))
    assert response.status_code == 200
    assert response.content == anonymous.content


@pytest.mark.parametrize("who", [*SIGNED_IN, None])
def test_a_saved_draft_is_shown_to_its_owner_only(request, client, client_for, owners_draft, who):
    viewer = client_for(request.getfixturevalue(who)) if who else client
    response = viewer.get(reverse("capture:saved", args=[owners_draft.pk]))
    if who is None:
        assert login_redirect(response)
    elif who == "practitioner":
        assert response.status_code == 200
        assert escape(OWNER_TITLE) in response.content.decode()
    else:
        assert response.status_code == 404, "another's draft does not exist for them"


@pytest.mark.parametrize("who", SIGNED_IN)
def test_a_card_saves_into_the_senders_log(request, client_for, owners_draft, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(
        reverse("capture:link"),
        {
            # The owner's client id: for anyone else it names nothing of theirs.
            "client_id": str(owners_draft.client_id),
            "title": f"Carded by {who}",
            "url": "https://example.org/a",
            "activity_type": "reading",
            "occurred_on": "2026-03-10",
        },
    )
    mine = Entry.objects.for_user(user).get(client_id=owners_draft.client_id)
    assert response["Location"] == reverse("capture:saved", args=[mine.pk])
    owners_draft.refresh_from_db()
    assert owners_draft.title == OWNER_TITLE
    if who != "practitioner":
        assert mine.title == f"Carded by {who}"
