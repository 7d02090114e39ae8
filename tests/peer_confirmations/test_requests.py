"""Asking a colleague and their answer: a hashed single-use token, bound to the address, until
it expires; withdrawing; removing; an answer about an earlier text; every refusal says why."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.erasure import erase_account
from core.models import OutgoingEmail
from peer_confirmations import requests
from peer_confirmations.demo import load_peer_confirmation_demo
from peer_confirmations.errors import ConfirmationRefused, LinkUnusable, WrongAddress
from peer_confirmations.models import PeerConfirmation
from peer_confirmations.requests import MAX_WRONG_ADDRESSES, Answer
from peer_confirmations.shown import entry_confirmations
from portfolio.demo import load_demo_data
from portfolio.models import Status
from tests.factories import make_entry

from .conftest import COLLEAGUE, PEER_TEXT, confirm

pytestmark = pytest.mark.calendar  # links expire a number of days from now


def test_a_request_stores_only_the_tokens_hash_and_emails_the_link(peer_entry, ask, settings):
    settings.PEER_CONFIRMATION_DAYS = 5
    confirmation, token = ask(peer_entry, note="After   Tuesday's supervision")

    assert confirmation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(PeerConfirmation.objects.filter(pk=confirmation.pk).values().get())
    assert confirmation.email == COLLEAGUE.lower()
    assert confirmation.expires_at == confirmation.requested_at + dt.timedelta(days=5)
    email = OutgoingEmail.objects.get(kind="peer_confirmation")
    assert email.recipient == COLLEAGUE.lower()
    assert "Alex Morgan" in email.subject
    assert "After Tuesday's supervision" in email.body
    assert requests.find_by_token(token) == confirmation
    assert requests.find_by_token(token + "x") is None


def test_asking_the_same_address_again_renews_the_link_and_retires_the_old(peer_entry, ask):
    first, old_token = ask(peer_entry)
    again, new_token = ask(peer_entry, COLLEAGUE.upper())

    assert again.pk == first.pk
    assert requests.find_by_token(old_token) is None
    assert requests.find_by_token(new_token) == again
    # The unsent email with the retired link is dropped: only the new one is owed.
    assert OutgoingEmail.objects.filter(kind="peer_confirmation").count() == 1


def test_the_database_keeps_one_unanswered_request_per_address(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    with pytest.raises(IntegrityError):
        PeerConfirmation.objects.create(
            entry=peer_entry,
            email=COLLEAGUE.upper(),
            token_hash="x" * 64,
            expires_at=confirmation.expires_at,
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"is_peer_reflected": False, "peer_learning": ""},
        {"is_peer_reflected": True, "peer_learning": "   "},
        {"is_peer_reflected": False, "peer_learning": "Text left from before", "status": "draft"},
    ],
)
def test_an_entry_without_a_peer_discussion_cannot_be_confirmed(practitioner, ask, fields):
    entry = make_entry(practitioner, **fields)
    with pytest.raises(ConfirmationRefused, match="Write what you discussed"):
        ask(entry)
    assert not PeerConfirmation.objects.exists()


def test_a_draft_with_its_peer_discussion_written_can_be_confirmed(practitioner, ask):
    entry = make_entry(
        practitioner, status=Status.DRAFT, is_peer_reflected=True, peer_learning=PEER_TEXT
    )
    confirmation, _ = ask(entry)
    assert confirmation.is_open


def test_nobody_confirms_their_own_discussion(peer_entry, practitioner, ask):
    EmailAddress.objects.create(user=practitioner, email="alex.work@example.net", verified=False)
    for own in ("ALEX@example.org", "alex.work@example.net"):
        with pytest.raises(ConfirmationRefused, match="your own address"):
            ask(peer_entry, own)


def test_not_an_address_is_refused(peer_entry, ask):
    with pytest.raises(ConfirmationRefused, match="email address"):
        ask(peer_entry, "sam at example")


def test_only_so_many_links_of_an_entry_wait_at_once(peer_entry, ask, settings):
    settings.PEER_CONFIRMATION_MAX_OPEN = 2
    first, _ = ask(peer_entry, "one@example.net")
    ask(peer_entry, "two@example.net")
    with pytest.raises(ConfirmationRefused, match="already has 2 links"):
        ask(peer_entry, "three@example.net")
    # Renewing one already asked is not one more; withdrawing one makes room.
    ask(peer_entry, "two@example.net")
    requests.withdraw(first)
    ask(peer_entry, "three@example.net")


def test_the_answer_is_recorded_once_with_the_text_it_answered(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    answered = confirm(confirmation, registration_number=" sw 654321 ")

    assert answered.answered_at is not None
    assert (answered.name, answered.role) == ("Sam Colleague", "Team manager")
    assert answered.registration_number == "SW654321"
    assert answered.confirmed_text == PEER_TEXT
    assert not answered.is_correction
    with pytest.raises(LinkUnusable, match="already been used"):
        confirm(answered)


def test_the_address_typed_must_be_the_one_the_link_was_sent_to(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    answer = Answer("Someone Else", "Forwarded to")

    with pytest.raises(WrongAddress):
        requests.answer_request(confirmation, address="someone@example.net", answer=answer)
    confirmation.refresh_from_db()
    assert confirmation.answered_at is None and confirmation.wrong_addresses == 1
    # Any case of the right address.
    requests.answer_request(confirmation, address=COLLEAGUE.upper(), answer=answer)
    confirmation.refresh_from_db()
    assert confirmation.answered_at is not None


def test_too_many_wrong_addresses_stop_the_link(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    for _ in range(MAX_WRONG_ADDRESSES):
        with pytest.raises(WrongAddress):
            requests.answer_request(
                confirmation, address="guess@example.net", answer=Answer("A", "B")
            )
    with pytest.raises(LinkUnusable, match="wrong email address was typed too many times"):
        confirm(confirmation)


def test_a_link_expires(peer_entry, ask, time_machine, settings):
    confirmation, _ = ask(peer_entry)
    time_machine.move_to(confirmation.expires_at + dt.timedelta(seconds=1))

    assert "expired on" in requests.refusal_for_anyone(confirmation)
    with pytest.raises(LinkUnusable, match="expired"):
        confirm(confirmation)


def test_a_link_works_until_it_expires(peer_entry, ask, time_machine):
    confirmation, _ = ask(peer_entry)
    time_machine.move_to(confirmation.expires_at - dt.timedelta(seconds=5))
    assert confirm(confirmation).answered_at is not None


def test_a_withdrawn_link_says_so_and_cannot_be_withdrawn_twice(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    requests.withdraw(confirmation)
    confirmation.refresh_from_db()

    assert "withdrawn" in requests.refusal_for_anyone(confirmation)
    with pytest.raises(LinkUnusable, match="withdrawn"):
        confirm(confirmation)
    with pytest.raises(ConfirmationRefused):
        requests.withdraw(confirmation)


def test_an_answer_cannot_be_withdrawn_but_can_be_removed(peer_entry, ask):
    confirmation = confirm(ask(peer_entry)[0])
    with pytest.raises(ConfirmationRefused):
        requests.withdraw(confirmation)

    requests.remove(confirmation)
    assert entry_confirmations(peer_entry).answers == []
    with pytest.raises(ConfirmationRefused):
        requests.remove(confirmation)


def test_editing_the_discussion_afterwards_marks_the_answer_as_of_an_earlier_version(
    peer_entry, ask
):
    confirm(ask(peer_entry)[0])
    assert not entry_confirmations(peer_entry).answers[0].of_earlier_text

    peer_entry.peer_learning = PEER_TEXT + " And about the parents' views."
    peer_entry.save()
    assert entry_confirmations(peer_entry).answers[0].of_earlier_text
    peer_entry.peer_learning = PEER_TEXT
    peer_entry.save()
    assert not entry_confirmations(peer_entry).answers[0].of_earlier_text


def test_a_discussion_removed_from_the_entry_cannot_be_answered(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    peer_entry.is_peer_reflected = False
    peer_entry.save()
    with pytest.raises(LinkUnusable, match="removed"):
        confirm(confirmation)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  ", "role": "Team manager"}, "name"),
        ({"name": "Sam", "role": ""}, "role"),
        ({"name": "Sam", "role": "TM", "registration_number": "SW-123"}, "registration_number"),
        ({"name": "Sam", "role": "TM", "correction": "x" * 4001}, "correction"),
    ],
)
def test_an_answer_says_who_gives_it(fields, field):
    with pytest.raises(ValidationError) as raised:
        Answer(**fields).cleaned()
    assert field in raised.value.message_dict


@pytest.mark.parametrize("number", ["SW123456", "E12345", "1234567", "sw 12 34 56", "NI0012345"])
def test_other_regulators_numbers_are_accepted(number):
    assert (
        Answer("Sam", "TM", number).cleaned().registration_number == "".join(number.split()).upper()
    )


def test_deleting_the_entry_deletes_its_requests(peer_entry, ask):
    confirm(ask(peer_entry)[0])
    ask(peer_entry, "other@example.net")
    peer_entry.delete()
    assert not PeerConfirmation.objects.exists()


def test_the_database_refuses_an_answer_without_who_gave_it(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    with pytest.raises(IntegrityError):
        PeerConfirmation.objects.filter(pk=confirmation.pk).update(answered_at=timezone.now())


def test_withdrawing_a_link_drops_its_email_if_not_yet_sent(peer_entry, ask):
    confirmation, _ = ask(peer_entry)
    requests.withdraw(confirmation)
    assert not OutgoingEmail.objects.filter(kind="peer_confirmation").exists()


def test_deleting_the_account_deletes_her_requests_and_the_emails_owed_for_them(
    peer_entry, practitioner, ask
):
    confirm(ask(peer_entry)[0])
    ask(peer_entry, "waiting@example.net")
    OutgoingEmail.objects.create(kind="other", about="x:1", recipient="someone@example.net")

    erase_account(practitioner)

    assert not PeerConfirmation.objects.exists()
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["other"]


@pytest.mark.django_db
def test_the_demo_shows_a_confirmed_discussion_and_loads_once():
    today = timezone.localdate()
    load_demo_data(today)
    load_peer_confirmation_demo(today)
    load_peer_confirmation_demo(today)

    confirmation = PeerConfirmation.objects.get()
    assert confirmation.entry.owner.email == "practitioner@example.org"
    assert confirmation.answered_at is not None
    assert not confirmation.is_of_earlier_text(confirmation.entry.peer_learning)
