"""A practitioner's entry recording a peer discussion, with secret words in every other field
(which the colleague's page must never show), and a way to ask a colleague about it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.utils import timezone

from core import outbox
from core.models import OutgoingEmail
from peer_confirmations import requests
from peer_confirmations.models import PeerConfirmation
from peer_confirmations.requests import Answer
from portfolio.models import Entry
from tests.factories import make_entry
from tests.programmes.conftest import world  # noqa: F401 (a fixture: a student sharing)

COLLEAGUE = "Sam.Colleague@Example.NET"
PEER_TEXT = "We talked about thresholds for a section 47 enquiry and agreed to ask earlier."
TITLE = "Supervision on thresholds"
# In every field the colleague must not see.
SECRETS = {
    "what_happened": "SECRETHAPPENED the family's story",
    "what_learned": "SECRETLEARNED about my own bias",
    "impact": "SECRETIMPACT on my caseload",
    "peer_role": "SECRETROLE practice educator",
    "hashtag": "SECRETTAG",
    "url": "https://example.org/SECRETURL",
}
LINK = re.compile(r"https?://\S+/confirm/(\S+)/")


@pytest.fixture
def peer_entry(practitioner) -> Entry:
    return make_entry(
        practitioner,
        title=TITLE,
        occurred_on=timezone.localdate(),
        is_peer_reflected=True,
        peer_learning=PEER_TEXT,
        **SECRETS,
    )


@pytest.fixture
def ask(monkeypatch, django_capture_on_commit_callbacks) -> Callable:
    """Ask ``address`` about ``entry``: the request, and the token its owed email carries."""
    monkeypatch.setattr(outbox, "_enqueue", lambda pk: None)

    def asking(entry: Entry, address: str = COLLEAGUE, note: str = "") -> tuple:
        with django_capture_on_commit_callbacks(execute=True):
            confirmation = requests.request_confirmation(entry, address, note=note)
        owed = OutgoingEmail.objects.get(
            about=outbox.about_key(confirmation, confirmation.token_hash)
        )
        return confirmation, LINK.search(owed.body)[1]

    return asking


def confirm(confirmation: PeerConfirmation, correction: str = "", **fields) -> PeerConfirmation:
    answer = Answer(
        name=fields.get("name", "Sam Colleague"),
        role=fields.get("role", "Team manager"),
        registration_number=fields.get("registration_number", "SW654321"),
        correction=correction,
    )
    requests.answer_request(confirmation, address=confirmation.email, answer=answer)
    confirmation.refresh_from_db()
    return confirmation
