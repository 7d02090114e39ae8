"""Inviting students into a cohort by email, and accepting: the accepting user's verified
address must be the invited one, each invitation works once, and only until it expires."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutgoingEmail
from core.outbox import about_key, owe_email
from core.site import absolute_url, email_context, email_subject

from .consent import record_joining
from .errors import ActionRefused
from .models import Cohort, Invitation, Membership, NotificationKind
from .notifications import notify


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def accept_path(token: str) -> str:
    return reverse("programmes:invitation_accept", args=[token])


MAX_INVITATIONS = 500
NAME_MAX_LENGTH = Invitation._meta.get_field("name").max_length


@dataclass(frozen=True)
class Invitee:
    """An address to invite (lowercase), with the name pasted beside it, if any."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class Unreadable:
    """Something pasted that is not an address, and why."""

    text: str
    reason: str


class Outcome(enum.StrEnum):
    INVITED = "invited"
    ALREADY_MEMBER = "already a member"
    INVALID = "invalid"


@dataclass(frozen=True)
class AddressOutcome:
    address: str
    outcome: Outcome
    reason: str = ""


@dataclass
class InvitationResult:
    """What happened to each address pasted, in the order they were pasted."""

    outcomes: list[AddressOutcome] = field(default_factory=list)

    def _addresses(self, outcome: Outcome) -> list[str]:
        return [each.address for each in self.outcomes if each.outcome == outcome]

    @property
    def sent(self) -> list[str]:
        return self._addresses(Outcome.INVITED)

    @property
    def already_members(self) -> list[str]:
        return self._addresses(Outcome.ALREADY_MEMBER)

    @property
    def invalid(self) -> list[AddressOutcome]:
        return [each for each in self.outcomes if each.outcome == Outcome.INVALID]

    def as_data(self) -> list[list[str]]:
        """The result as JSON can keep it (in a session, between a POST and its redirect)."""
        return [[each.address, each.outcome.value, each.reason] for each in self.outcomes]

    @classmethod
    def from_data(cls, data: list[list[str]]) -> InvitationResult:
        return cls(
            [AddressOutcome(address, Outcome(outcome), reason) for address, outcome, reason in data]
        )


# "Alice Student <alice@example.net>" or '"Student, Alice" <alice@example.net>', as email
# programs copy addresses; anything between these is plain addresses.
_NAMED_ADDRESS = re.compile(r'(?:"(?P<quoted>[^"]*)"|(?P<plain>[^,;<>"\n]*))\s*<(?P<email>[^<>]*)>')
_SEPARATORS = re.compile(r"[\s,;]+")


def _why_not_an_address(text: str) -> str | None:
    if "@" not in text:
        return "not an email address (there is no @)"
    try:
        validate_email(text)
    except ValidationError:
        return "not an email address"
    return None


def _read_one(text: str, name: str = "") -> Invitee | Unreadable:
    address = text.strip().lower()
    if reason := _why_not_an_address(address):
        return Unreadable(text.strip() or "<>", reason)
    return Invitee(address, " ".join(name.split())[:NAME_MAX_LENGTH])


def read_pasted_addresses(pasted: str) -> list[Invitee | Unreadable]:
    """Every address in ``pasted`` (separated by commas, semicolons, spaces or new lines, each
    plain or as "Name <address>"), in order, each once; what is not an address is kept, with
    the reason, so it can be reported rather than spoil the rest."""
    found: list[Invitee | Unreadable] = []

    def add_plain(text: str) -> None:
        found.extend(_read_one(token) for token in _SEPARATORS.split(text) if token)

    position = 0
    for match in _NAMED_ADDRESS.finditer(pasted):
        add_plain(pasted[position : match.start()])
        found.append(_read_one(match["email"], match["quoted"] or match["plain"] or ""))
        position = match.end()
    add_plain(pasted[position:])
    seen: set[str] = set()
    unique = []
    for each in found:
        key = each.email if isinstance(each, Invitee) else each.text
        if key not in seen:
            seen.add(key)
            unique.append(each)
    return unique


def _verified_users(emails: list[str]) -> dict[str, User]:
    addresses = (
        EmailAddress.objects.annotate(lowercase=Lower("email"))
        .filter(lowercase__in=emails, verified=True)
        .select_related("user")
    )
    return {address.lowercase: address.user for address in addresses}


def invite(
    cohort: Cohort, pasted: Sequence[str | Invitee | Unreadable], *, invited_by
) -> InvitationResult:
    """Send each address a link to join ``cohort``, and say per address what happened.
    Inviting an address again while its invitation is unused, pending or expired, renews that
    invitation: a new link, which retires the old one, and a new expiry. Addresses already in
    the cohort and sharing are skipped; what is not an address is reported as such."""
    entries = [Invitee(each.lower()) if isinstance(each, str) else each for each in pasted]
    invitees = [each for each in entries if isinstance(each, Invitee)]
    if len(invitees) > MAX_INVITATIONS:
        raise ActionRefused(f"Invite at most {MAX_INVITATIONS} students at a time.")
    emails = [invitee.email for invitee in invitees]
    result = InvitationResult()
    sharing = set(
        Membership.objects.active()
        .filter(cohort=cohort, student__email__in=emails)
        .values_list("student__email", flat=True)
    )
    users = _verified_users(emails)
    expires_at = timezone.now() + dt.timedelta(days=settings.PROGRAMME_INVITATION_DAYS)
    with transaction.atomic():
        # One request at a time invites to a cohort, so two inviting the same address at once
        # renew one invitation rather than both adding one (which the database refuses).
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        # Each address's one unused invitation, in one query however many are pasted.
        unused = {
            invitation.lowercase: invitation
            for invitation in Invitation.objects.unaccepted()
            .annotate(lowercase=Lower("email"))
            .filter(cohort=cohort, lowercase__in=emails)
        }
        for entry in entries:
            if isinstance(entry, Unreadable):
                result.outcomes.append(AddressOutcome(entry.text, Outcome.INVALID, entry.reason))
                continue
            email = entry.email
            if email in sharing:
                result.outcomes.append(AddressOutcome(email, Outcome.ALREADY_MEMBER))
                continue
            token = secrets.token_urlsafe(32)
            invitation = unused.get(email) or Invitation(cohort=cohort, email=email)
            invitation.name = entry.name or invitation.name
            invitation.token_hash = token_hash(token)
            invitation.expires_at = expires_at
            invitation.invited_by = invited_by
            invitation.save()
            _owe_email(invitation, token)
            if email in users:
                # The email carries the link; the in-app note points to where they can join.
                notify(
                    [users[email]],
                    kind=NotificationKind.INVITATION,
                    text=f"{invited_by} invited you to join {cohort}.",
                    url=reverse("programmes:home"),
                    email=False,
                )
            result.outcomes.append(AddressOutcome(email, Outcome.INVITED))
    return result


def _owe_email(invitation: Invitation, token: str) -> None:
    """Owe the invited address an email with the link (core.outbox). Each link is its own
    email; one not yet sent for a link this renewal retires is dropped, since it no longer
    works. The body holds the link until it is sent: only the token's hash is kept."""
    earlier = about_key(invitation)
    OutgoingEmail.objects.filter(
        kind="invitation", about__startswith=f"{earlier}:", sent_at__isnull=True
    ).delete()
    body = render_to_string(
        "programmes/email/invitation.txt",
        email_context() | {"invitation": invitation, "link": absolute_url(accept_path(token))},
    )
    owe_email(
        kind="invitation",
        about=about_key(invitation, invitation.token_hash),
        recipient=invitation.email,
        subject=email_subject(f"Invitation to join {invitation.cohort}"),
        body=body,
    )


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("cohort__programme", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitations_addressed_to(user):
    """Invitations sent to any of the user's verified addresses, in any state."""
    emails = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return Invitation.objects.filter(email__in=emails).select_related(
        "cohort__programme", "invited_by"
    )


def pending_invitations_for(user):
    """Invitations the user can still accept, to cohorts they are not already sharing with."""
    return (
        invitations_addressed_to(user)
        .pending()
        .exclude(cohort__in=Membership.objects.for_user(user).active().values("cohort"))
    )


def masked(email: str) -> str:
    """The address as a page may show it to someone not yet known to own it: its first
    letter and its domain ("a••••@example.net"), enough to recognise, not to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}••••@{domain}"


def refusal_for_anyone(invitation: Invitation) -> str | None:
    """Why nobody can use ``invitation`` any more (used, or expired), or None: said on the
    invitation's page before anyone signs up or logs in to find out."""
    leader = invitation.invited_by or "the programme leader"
    sent_to = masked(invitation.email)
    if invitation.accepted_at is not None:
        return (
            f"This invitation to join {invitation.cohort}, sent to {sent_to}, has already been "
            f"used. If that was you, log in to see the cohort; otherwise ask {leader} for a "
            "new invitation."
        )
    if invitation.is_expired:
        return (
            f"This invitation to join {invitation.cohort}, sent to {sent_to}, expired on "
            f"{timezone.localtime(invitation.expires_at):%-d %B %Y}. Ask {leader} to invite "
            "you again."
        )
    return None


def check_acceptable(invitation: Invitation, user) -> None:
    """Raise ActionRefused, saying why, unless ``user`` may accept ``invitation`` now."""
    leader = invitation.invited_by or "the programme leader"
    if invitation.accepted_at is not None and invitation.accepted_by_id == user.pk:
        raise ActionRefused(f"You have already joined {invitation.cohort} with this invitation.")
    if problem := refusal_for_anyone(invitation):
        raise ActionRefused(problem)
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise ActionRefused(
            f"This invitation was sent to {masked(invitation.email)}, but you are signed in as "
            f"{user.email}. Log in with the invited address, or ask {leader} to invite "
            f"{user.email} instead."
        )
    if invitation.cohort.programme.leaders.filter(pk=user.pk).exists():
        raise ActionRefused(
            f"You lead {invitation.cohort.programme}, so you cannot join it as a student."
        )


def accept_invitation(invitation: Invitation, user, *, shared_year: int | None) -> Membership:
    """Join the cohort, sharing the whole portfolio (``shared_year`` None) or one CPD year.
    Joining a cohort left earlier gives consent again."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("cohort__programme", "invited_by")
            .get(pk=invitation.pk)
        )
        check_acceptable(invitation, user)
        now = timezone.now()
        membership, _ = Membership.objects.update_or_create(
            cohort=invitation.cohort,
            student=user,
            defaults={"shared_year": shared_year, "consented_at": now, "revoked_at": None},
        )
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_joining(membership)
    return membership
