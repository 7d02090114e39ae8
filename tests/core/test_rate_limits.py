"""Each rate limit (settings.RATE_LIMITS): under it the action works; over it the answer is
429 with a message saying what was limited and when to try again (a page, the message alone
for htmx, JSON for the capture sync), never a bare 403. Counted in the cache (Redis in the
test run), which tests/conftest.py clears before each test."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import AccessToken
from core.models import WorkState
from imports.models import ImportBatch
from packs.models import EvidencePack
from tests.programmes.conftest import make_cohort

PACK_BYTES = b"PK\x05\x06" + b"\x00" * 18


@pytest.fixture(autouse=True)
def two_an_hour(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "2/h")


def assert_limited(response, doing: str) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert f"You have been {doing} more often than we allow" in text
    assert "Please wait" in text


# --- The public /verify/ page, per address ------------------------------------------------------


@pytest.fixture
def evidence_pack(practitioner):
    return EvidencePack.objects.create(
        owner=practitioner,
        exporter_name=practitioner.display_name,
        period_start=dt.date(2025, 12, 1),
        period_end=dt.date(2026, 11, 30),
        state=WorkState.DONE,
        progress=100,
        sha256=hashlib.sha256(PACK_BYTES).hexdigest(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )


def check_file(evidence_pack, address: str = "203.0.113.7", **meta):
    return Client(REMOTE_ADDR=address).post(
        reverse("packs:verify", args=[evidence_pack.pk]),
        {"file": SimpleUploadedFile("pack.zip", PACK_BYTES, "application/zip")},
        **meta,
    )


def test_verify_checks_files_until_the_address_reaches_its_limit(evidence_pack):
    assert ["It matches." in check_file(evidence_pack).content.decode() for _ in range(2)] == [
        True,
        True,
    ]
    over = check_file(evidence_pack)
    assert_limited(over, "checking files against evidence packs")
    assert "It matches." not in over.content.decode()
    assert "Please wait a little" in over.content.decode(), "a page in the site's layout"
    # Another address has its own count; reading the page costs nothing.
    assert check_file(evidence_pack, address="198.51.100.8").status_code == 200
    anonymous = Client(REMOTE_ADDR="203.0.113.7")
    assert anonymous.get(reverse("packs:verify", args=[evidence_pack.pk])).status_code == 200


def test_two_people_behind_one_trusted_proxy_have_their_own_verify_limit(evidence_pack, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1

    def through_proxy(forwarded: str) -> int:
        return check_file(evidence_pack, "10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [through_proxy("203.0.113.7") for _ in range(2)] == [200, 200]
    assert through_proxy("198.51.100.8") == 200
    assert through_proxy("6.6.6.6, 203.0.113.7") == 429, "a made-up left-most entry is ignored"


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(evidence_pack, settings):
    settings.TRUSTED_PROXY_HEADER = ""
    statuses = [
        check_file(evidence_pack, "10.0.0.5", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


# --- Quick-capture sync, per user ---------------------------------------------------------------


def sync(client):
    fields = {
        "client_id": str(uuid.uuid4()),
        "title": "Thread on capacity assessments",
        "url": "https://social.example/@someone/1",
        "occurred_on": "2026-03-10",
        "duration": "20m",
    }
    return client.post(
        reverse("capture:sync"), data=json.dumps(fields), content_type="application/json"
    )


def test_capture_sync_answers_429_in_json_over_the_limit(practitioner, other_practitioner):
    client = Client()
    client.force_login(practitioner)
    assert [sync(client).status_code for _ in range(2)] == [201, 201]

    over = sync(client)

    assert over.status_code == 429
    assert int(over["Retry-After"]) > 0
    assert over.json()["error"].startswith(
        "You have been sending captures more often than we allow in a short time."
    )
    other = Client()
    other.force_login(other_practitioner)
    assert sync(other).status_code == 201


def test_the_capture_card_and_page_share_the_sync_limit(practitioner):
    client = Client()
    client.force_login(practitioner)
    assert sync(client).status_code == 201
    card = {
        "client_id": str(uuid.uuid4()),
        "url": "https://example.org/a",
        "title": "",
        "activity_type": "reading",
        "occurred_on": "2026-03-10",
    }
    assert client.post(reverse("capture:link"), card).status_code == 302

    assert_limited(client.post(reverse("capture:link"), card), "sending captures")
    assert_limited(client.post(reverse("capture:capture"), card), "sending captures")


# --- Feed import by address, per user --------------------------------------------------------


def import_feed(client, **data):
    return client.post(
        reverse("imports:list"),
        {"source": "feed", "feed_url": "https://blog.example.org/feed", **data},
    )


def test_feed_imports_by_address_are_limited(practitioner, client_for):
    client = client_for(practitioner)
    assert [import_feed(client).status_code for _ in range(2)] == [302, 302]

    over = import_feed(client)

    assert_limited(over, "importing feeds by address")
    assert ImportBatch.objects.count() == 2


def test_a_form_with_mistakes_does_not_count_against_the_feed_limit(practitioner, client_for):
    client = client_for(practitioner)
    for _ in range(3):
        assert import_feed(client, source="x").status_code == 200  # a feed address for X
    assert import_feed(client).status_code == 302


# --- Programme invitations, per user -------------------------------------------------------


def test_invitations_are_limited(programme_leader, client_for):
    cohort = make_cohort(programme_leader, "MA Social Work")
    client = client_for(programme_leader)
    url = reverse("programmes:invite", args=[cohort.pk])

    sent = [client.post(url, {"emails": f"s{n}@example.org"}).status_code for n in range(2)]
    over = client.post(url, {"emails": "s3@example.org"})
    over_by_htmx = client.post(url, {"emails": "s4@example.org"}, HTTP_HX_REQUEST="true")

    assert sent == [302, 302]
    assert_limited(over, "sending invitations")
    assert_limited(over_by_htmx, "sending invitations")
    assert over_by_htmx.content.decode().startswith('<p class="message message-error"')
    assert cohort.invitations.count() == 2


# --- API tokens, per user --------------------------------------------------------------------


def test_token_creation_is_limited(practitioner, client_for):
    client = client_for(practitioner)
    new = reverse("tokens:create")

    made = [client.post(new, {"name": f"Script {n}", "scope": "read"}) for n in range(2)]
    over = client.post(new, {"name": "One too many", "scope": "read"})

    assert [r.status_code for r in made] == [200, 200]
    assert_limited(over, "creating API tokens")
    assert AccessToken.objects.count() == 2
    assert client.get(new).status_code == 200, "the form itself is still shown"


# --- The confidentiality check asked while typing, per user --------------------------------------


def test_confidentiality_check_while_typing_is_limited_per_user(practitioner, other_practitioner):
    client = Client()
    client.force_login(practitioner)
    url = reverse("portfolio:confidentiality_check_field", args=["what_happened"])

    def check(client):
        return client.post(url, {"what_happened": "Met Mrs Jones"}, HTTP_HX_REQUEST="true")

    assert ["Mrs Jones" in check(client).content.decode() for _ in range(2)] == [True, True]
    over = check(client)
    assert_limited(over, "checking text as you type")
    assert "Mrs Jones" not in over.content.decode()
    # The check of the whole form counts against the same limit.
    summary = reverse("portfolio:confidentiality_check")
    assert client.post(summary, {"impact": "x"}, HTTP_HX_REQUEST="true").status_code == 429
    other = Client()
    other.force_login(other_practitioner)
    assert check(other).status_code == 200
