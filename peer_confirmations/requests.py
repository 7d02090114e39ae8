"""Asking a colleague to confirm the peer discussion an entry records, and their answer.

The link is emailed (core.outbox) to one address and bound to it: only a SHA-256 hash of its
random token is stored, it is answered once, until it expires, and whoever opens it must also
type the address it was sent to. The link alone is not enough, since emails are forwarded and
links are pasted into chats; an account is not asked for, since a colleague confirming one
conversation should not have to sign up. Typing the address is a knowledge check rather than
proof of the inbox, which the emailed link itself gives: together they bind the answer to the
person the practitioner named, without a second round trip of codes. Wrong addresses are
counted, and the link stops working after MAX_WRONG_ADDRESSES of them."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.erasure import Erasure
from core.fragments import renew_owner_version
from core.models import OutgoingEmail
from core.outbox import about_key, owe_email
from core.site import absolute_url, email_context, email_subject
from portfolio.models import Entry

from .errors import ConfirmationRefused, LinkUnusable, WrongAddress
from .models import PeerConfirmation

MAX_WRONG_ADDRESSES = 5
EMAIL_KIND = "peer_confirmation"

# Social Work England's "SW123456", and other regulators' numbers: letters and digits.
registration_number_validator = RegexValidator(
    r"^[A-Z0-9]{2,20}$",
    "Enter a registration number such as SW123456: letters and digits, no spaces.",
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_path(token: str) -> str:
    return reverse("peer_confirmations:answer", args=[token])


def _is_owners_address(owner, address: str) -> bool:
    return (
        owner.email.lower() == address
        or EmailAddress.objects.filter(user=owner, email__iexact=address).exists()
    )


def _check_can_ask(entry: Entry, address: str) -> None:
    if not entry.is_peer_reflected or not entry.peer_learning.strip():
        raise ConfirmationRefused(
            "Write what you discussed with your colleague on the entry first: that is what "
            "they are asked to confirm."
        )
    try:
        validate_email(address)
    except ValidationError as error:
        raise ConfirmationRefused("Enter your colleague's email address.") from error
    if _is_owners_address(entry.owner, address):
        raise ConfirmationRefused(
            "That is your own address: ask the colleague you talked with to confirm it."
        )


def request_confirmation(entry: Entry, address: str, *, note: str = "") -> PeerConfirmation:
    """Email ``address`` a link to confirm ``entry``'s peer discussion. Asking an address again
    while its earlier link is unanswered renews that request (a new link, which retires the old
    one, and a new expiry); at most PEER_CONFIRMATION_MAX_OPEN links of an entry are open."""
    address = address.strip().lower()
    note = " ".join(note.split())
    _check_can_ask(entry, address)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # One request at a time asks about an entry, so the count of open links holds.
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        asked = PeerConfirmation.objects.filter(entry=entry)
        earlier = asked.unanswered().filter(email__iexact=address).first()
        others_open = asked.open().exclude(pk=getattr(earlier, "pk", None)).count()
        if others_open >= settings.PEER_CONFIRMATION_MAX_OPEN:
            raise ConfirmationRefused(
                f"This entry already has {others_open} links waiting for an answer. Withdraw "
                "one before you ask someone else."
            )
        confirmation = earlier or PeerConfirmation(entry=entry, email=address)
        confirmation.note = note[: PeerConfirmation._meta.get_field("note").max_length]
        confirmation.token_hash = token_hash(token)
        confirmation.requested_at = timezone.now()
        confirmation.expires_at = confirmation.requested_at + dt.timedelta(
            days=settings.PEER_CONFIRMATION_DAYS
        )
        confirmation.wrong_addresses = 0
        confirmation.save()
        _owe_email(confirmation, token)
    return confirmation


def drop_unsent_emails(confirmations: Iterable[PeerConfirmation]) -> None:
    """Forget the emails still owed for these requests: their links no longer work (renewed,
    withdrawn), or the practitioner named in them is deleting her account."""
    keys = Q()
    for confirmation in confirmations:
        keys |= Q(about__startswith=f"{about_key(confirmation)}:")
    if keys:
        OutgoingEmail.objects.filter(keys, kind=EMAIL_KIND, sent_at__isnull=True).delete()


def _owe_email(confirmation: PeerConfirmation, token: str) -> None:
    """Owe the colleague the email with the link. The body holds the link until it is sent;
    one not yet sent for a link this renewal retires is dropped, as it no longer works."""
    drop_unsent_emails([confirmation])
    owner = confirmation.entry.owner
    asker = owner.display_name or owner.email
    body = render_to_string(
        "peer_confirmations/email/request.txt",
        email_context()
        | {
            "confirmation": confirmation,
            "asker": asker,
            "link": absolute_url(answer_path(token)),
        },
    )
    owe_email(
        kind=EMAIL_KIND,
        about=about_key(confirmation, confirmation.token_hash),
        recipient=confirmation.email,
        subject=email_subject(f"{asker} asks you to confirm a discussion you had"),
        body=body,
    )


def find_by_token(token: str) -> PeerConfirmation | None:
    return (
        PeerConfirmation.objects.select_related("entry")
        .filter(token_hash=token_hash(token))
        .first()
    )


def refusal_for_anyone(confirmation: PeerConfirmation) -> str | None:
    """Why nobody can answer ``confirmation`` any more, or None."""
    if confirmation.answered_at is not None:
        return (
            "This link has already been used: the discussion was answered on "
            f"{timezone.localtime(confirmation.answered_at):%-d %B %Y}. Each link works once."
        )
    if confirmation.withdrawn_at is not None:
        return "This link was withdrawn by the person who sent it. There is nothing to do."
    if confirmation.wrong_addresses >= MAX_WRONG_ADDRESSES:
        return (
            "This link no longer works: the wrong email address was typed too many times. "
            "Ask the person who sent it for a new one."
        )
    if confirmation.is_expired:
        return (
            "This link expired on "
            f"{timezone.localtime(confirmation.expires_at):%-d %B %Y}. Ask the person who "
            "sent it for a new one if you still want to answer."
        )
    if not confirmation.entry.is_peer_reflected or not confirmation.entry.peer_learning.strip():
        return "The discussion this link was about has been removed. There is nothing to do."
    return None


@dataclass(frozen=True)
class Answer:
    """What the colleague says: who they are and, unless it is a fair account, a correction."""

    name: str
    role: str
    registration_number: str = ""
    correction: str = ""

    def cleaned(self) -> Answer:
        """Tidied, or ValidationError by field."""
        name, role = " ".join(self.name.split()), " ".join(self.role.split())
        number = "".join(self.registration_number.split()).upper()
        correction = self.correction.strip()
        errors: dict[str, str] = {}
        if not name:
            errors["name"] = "Give your name."
        if not role:
            errors["role"] = "Give your role."
        for field, value in (("name", name), ("role", role)):
            limit = PeerConfirmation._meta.get_field(field).max_length
            if len(value) > limit:
                errors[field] = f"Keep it to {limit} characters."
        if number:
            try:
                registration_number_validator(number)
            except ValidationError as error:
                errors["registration_number"] = error.messages[0]
        limit = PeerConfirmation._meta.get_field("correction").max_length
        if len(correction) > limit:
            errors["correction"] = f"Keep the correction to {limit} characters."
        if errors:
            raise ValidationError(errors)
        return Answer(name, role, number, correction)


def answer_request(confirmation: PeerConfirmation, *, address: str, answer: Answer) -> None:
    """Record the colleague's answer, once, if ``address`` (in any case) is the one the link
    was sent to; else count the wrong address and raise WrongAddress."""
    answer = answer.cleaned()
    with transaction.atomic():
        confirmation = (
            PeerConfirmation.objects.select_for_update(of=("self",))
            .select_related("entry")
            .get(pk=confirmation.pk)
        )
        if problem := refusal_for_anyone(confirmation):
            raise LinkUnusable(problem)
        wrong = address.strip().lower() != confirmation.email.lower()
        if wrong:
            confirmation.wrong_addresses += 1
            confirmation.save(update_fields=["wrong_addresses"])
        else:
            confirmation.answered_at = timezone.now()
            confirmation.name = answer.name
            confirmation.role = answer.role
            confirmation.registration_number = answer.registration_number
            confirmation.correction = answer.correction
            confirmation.confirmed_text = confirmation.entry.peer_learning
            confirmation.save()
            renew_owner_version(confirmation.entry.owner_id)  # the dashboard counts it
    if wrong:
        raise WrongAddress(
            "That is not the address this link was sent to. Type the address the email came "
            "to (check for a work or personal address)."
        )


def withdraw(confirmation: PeerConfirmation) -> None:
    """Stop an unanswered link working (its page then says it was withdrawn), and its email
    going out if it has not yet."""
    with transaction.atomic():
        updated = PeerConfirmation.objects.unanswered().filter(pk=confirmation.pk)
        if not updated.update(withdrawn_at=timezone.now()):
            raise ConfirmationRefused("That request was already answered or withdrawn.")
        drop_unsent_emails([confirmation])


def forget_owed_emails_of(erasure: Erasure) -> None:
    """A step of deleting an account (accounts.erasure): the emails still owed for her
    requests name her; her requests themselves go with her entries."""
    drop_unsent_emails(PeerConfirmation.objects.for_user(erasure.user))


def remove(confirmation: PeerConfirmation) -> None:
    """Stop showing an answer anywhere (entry, dashboard, leaders, packs)."""
    with transaction.atomic():
        removed = (
            PeerConfirmation.objects.shown()
            .filter(pk=confirmation.pk)
            .update(removed_at=timezone.now())
        )
        if not removed:
            raise ConfirmationRefused("That answer is not shown any more.")
        renew_owner_version(confirmation.entry.owner_id)
