"""The pages: the owner asks, withdraws and removes from her entry's page, and nobody else can;
the colleague's page, reached without an account, shows the discussion and nothing else."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from peer_confirmations.models import PeerConfirmation
from tests.factories import make_entry

from .conftest import COLLEAGUE, PEER_TEXT, SECRETS, TITLE, confirm

pytestmark = pytest.mark.calendar

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def answer_data(address: str = COLLEAGUE, **fields) -> dict:
    return {
        "address": address,
        "name": "Sam Colleague",
        "role": "Team manager",
        "registration_number": "SW654321",
        "verdict": "confirm",
        "correction": "",
        **fields,
    }


# --- The owner's entry page ----------------------------------------------------------------------


def test_the_entry_page_offers_to_ask_and_sends_the_link(peer_entry, practitioner, client_for):
    client = client_for(practitioner)
    page = client.get(peer_entry.get_absolute_url())
    assert b"Ask your colleague to confirm this discussion" in page.content

    response = client.post(
        reverse("peer_confirmations:request_create", args=[peer_entry.pk]),
        {"email": COLLEAGUE, "note": "Thanks for Tuesday"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == peer_entry.get_absolute_url()
    assert f"We emailed {COLLEAGUE.lower()}".encode() in response.content
    assert b"waiting for an answer" in response.content


def test_a_refused_request_says_why_and_keeps_what_was_typed(peer_entry, practitioner, client_for):
    response = client_for(practitioner).post(
        reverse("peer_confirmations:request_create", args=[peer_entry.pk]),
        {"email": "alex@example.org", "note": "my own note"},
    )
    assert response.status_code == 400
    assert b"That is your own address" in response.content
    assert b'value="my own note"' in response.content


def test_an_entry_without_a_peer_discussion_offers_nothing(practitioner, client_for):
    entry = make_entry(practitioner)
    assert (
        b"Ask your colleague" not in client_for(practitioner).get(entry.get_absolute_url()).content
    )


@pytest.mark.parametrize("who", ["other_practitioner", "programme_leader", "anonymous"])
def test_nobody_else_asks_withdraws_or_removes(peer_entry, ask, who, request, client_for):
    open_request, _ = ask(peer_entry)
    answered = confirm(ask(peer_entry, "second@example.net")[0])
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    posts = [
        (reverse("peer_confirmations:request_create", args=[peer_entry.pk]), {"email": "x@y.net"}),
        (reverse("peer_confirmations:request_withdraw", args=[open_request.pk]), {}),
        (reverse("peer_confirmations:answer_remove", args=[answered.pk]), {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404, url
    assert PeerConfirmation.objects.count() == 2
    open_request.refresh_from_db()
    answered.refresh_from_db()
    assert open_request.withdrawn_at is None and answered.removed_at is None


def test_the_owner_withdraws_a_link_and_removes_an_answer(
    peer_entry, ask, practitioner, client_for
):
    open_request, token = ask(peer_entry)
    answered = confirm(ask(peer_entry, "second@example.net")[0])
    client = client_for(practitioner)

    client.post(reverse("peer_confirmations:request_withdraw", args=[open_request.pk]))
    client.post(reverse("peer_confirmations:answer_remove", args=[answered.pk]))

    page = client.get(peer_entry.get_absolute_url()).content.decode()
    assert "withdrawn" in page and "Sam Colleague</strong>" not in page
    link = client_for(None).get(reverse("peer_confirmations:answer", args=[token]))
    assert link.status_code == 410
    assert b"withdrawn by the person who sent it" in link.content


def test_the_entry_shows_the_answer_and_an_earlier_version(
    peer_entry, ask, practitioner, client_for
):
    confirm(ask(peer_entry)[0], correction="It was " + HOSTILE)
    client = client_for(practitioner)
    page = client.get(peer_entry.get_absolute_url()).content.decode()

    assert "Sam Colleague" in page and "Team manager" in page and "SW654321" in page
    assert "replied with a correction" in page
    assert HOSTILE not in page and "&lt;script&gt;" in page
    assert "earlier version" not in page
    peer_entry.peer_learning = "Rewritten."
    peer_entry.save()
    assert (
        "Confirmed an earlier version" in client.get(peer_entry.get_absolute_url()).content.decode()
    )


# --- The colleague's page ------------------------------------------------------------------------


def test_the_colleague_sees_only_the_title_date_and_discussion(peer_entry, ask, client_for):
    peer_entry.evidence.create(
        file=ContentFile(b"%PDF-1.4", name="SECRETFILE.pdf"),
        original_name="SECRETFILE.pdf",
        content_type="application/pdf",
        size=8,
    )
    peer_entry.tags.create(owner=peer_entry.owner, name="SECRETTAGNAME")
    _, token = ask(peer_entry)

    page = client_for(None).get(reverse("peer_confirmations:answer", args=[token]))

    assert page.status_code == 200
    text = page.content.decode()
    assert TITLE in text and PEER_TEXT in text
    assert f"{peer_entry.occurred_on:%-d %B %Y}" in text
    for secret in [*SECRETS.values(), "SECRETFILE", "SECRETTAGNAME", "Alex Morgan", "alex@"]:
        assert secret.split()[0] not in text, secret


def test_a_wrong_token_is_not_found(client_for, db):
    page = client_for(None).get(reverse("peer_confirmations:answer", args=["not-a-token"]))
    assert page.status_code == 404
    assert b"This link is not valid" in page.content


def test_the_colleague_confirms_once(peer_entry, ask, client_for):
    _, token = ask(peer_entry)
    url = reverse("peer_confirmations:answer", args=[token])
    client = client_for(None)

    response = client.post(url, answer_data(COLLEAGUE.upper()))
    assert response.status_code == 200
    assert b"Your confirmation is now shown" in response.content
    confirmation = PeerConfirmation.objects.get()
    assert confirmation.name == "Sam Colleague" and confirmation.confirmed_text == PEER_TEXT

    for again in (client.get(url), client.post(url, answer_data())):
        assert again.status_code == 410
        assert b"already been used" in again.content


def test_the_wrong_address_is_refused_and_nothing_typed_is_lost(peer_entry, ask, client_for):
    _, token = ask(peer_entry)
    response = client_for(None).post(
        reverse("peer_confirmations:answer", args=[token]),
        answer_data("forwarded@example.net", name="Pat Forwarded"),
    )
    assert response.status_code == 400
    assert b"not the address this link was sent to" in response.content
    assert b'value="Pat Forwarded"' in response.content
    assert PeerConfirmation.objects.get().answered_at is None


def test_a_correction_needs_its_text(peer_entry, ask, client_for):
    _, token = ask(peer_entry)
    response = client_for(None).post(
        reverse("peer_confirmations:answer", args=[token]), answer_data(verdict="correct")
    )
    assert response.status_code == 400
    assert b"Write your correction" in response.content


def test_a_bad_registration_number_is_explained(peer_entry, ask, client_for):
    _, token = ask(peer_entry)
    response = client_for(None).post(
        reverse("peer_confirmations:answer", args=[token]),
        answer_data(registration_number="SW-12/34"),
    )
    assert response.status_code == 400
    assert b"letters and digits" in response.content


def test_an_expired_link_says_so(peer_entry, ask, client_for, time_machine):
    confirmation, token = ask(peer_entry)
    time_machine.move_to(confirmation.expires_at)
    page = client_for(None).get(reverse("peer_confirmations:answer", args=[token]))
    assert page.status_code == 410
    assert b"expired on" in page.content


def test_a_signed_in_user_on_the_link_sees_the_same_page(
    peer_entry, ask, other_practitioner, client_for
):
    _, token = ask(peer_entry)
    page = client_for(other_practitioner).get(reverse("peer_confirmations:answer", args=[token]))
    assert page.status_code == 200
    assert b"SECRETLEARNED" not in page.content


# --- Rate limits ---------------------------------------------------------------------------------


def test_asking_is_limited_per_user(peer_entry, practitioner, client_for, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "peer-confirmation-requests": "2/h"}
    client = client_for(practitioner)
    url = reverse("peer_confirmations:request_create", args=[peer_entry.pk])
    statuses = [
        client.post(url, {"email": f"colleague{n}@example.net"}).status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert PeerConfirmation.objects.count() == 2


def test_answering_is_limited_per_address(peer_entry, ask, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "peer-confirmation-answers": "2/h"}
    _, token = ask(peer_entry)
    url = reverse("peer_confirmations:answer", args=[token])
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    guesses = [answer_data(f"guess{n}@example.net") for n in range(3)]
    statuses = [guesser.post(url, guess).status_code for guess in guesses]
    assert statuses == [400, 400, 429]
    assert guesser.get(url).status_code == 200  # reading costs nothing
    assert Client(REMOTE_ADDR="198.51.100.8").post(url, answer_data()).status_code == 200
