"""Inviting students into a cohort by email, and accepting: the accepting user's verified
address must be the invited one, each invitation works once, and only until it expires."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutgoingEmail
from core.outbox import about_key, owe_email

from .consent import record_joining
from .errors import ActionRefused
from .models import Cohort, Invitation, Membership, NotificationKind
from .notifications import absolute_url, email_subject, notify


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def accept_path(token: str) -> str:
    return reverse("programmes:invitation_accept", args=[token])


@dataclass
class InvitationResult:
    sent: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)


def _verified_users(emails: list[str]) -> dict[str, User]:
    addresses = (
        EmailAddress.objects.annotate(lowercase=Lower("email"))
        .filter(lowercase__in=emails, verified=True)
        .select_related("user")
    )
    return {address.lowercase: address.user for address in addresses}


def invite(cohort: Cohort, emails: list[str], *, invited_by) -> InvitationResult:
    """Send each address a link to join ``cohort``. Inviting an address again while its
    invitation is unused, pending or expired, renews that invitation: a new link, which
    retires the old one, and a new expiry. Addresses (lowercase) already in the cohort and
    sharing are skipped."""
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
        for email in emails:
            if email in sharing:
                result.already_members.append(email)
                continue
            token = secrets.token_urlsafe(32)
            invitation = unused.get(email) or Invitation(cohort=cohort, email=email)
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
            result.sent.append(email)
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
        {"invitation": invitation, "link": absolute_url(accept_path(token))},
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


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def check_acceptable(invitation: Invitation, user) -> None:
    """Raise ActionRefused, saying why, unless ``user`` may accept ``invitation`` now."""
    leader = invitation.invited_by or "the programme leader"
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == user.pk:
            raise ActionRefused(
                f"You have already joined {invitation.cohort} with this invitation."
            )
        raise ActionRefused(
            f"This invitation has already been used. Ask {leader} for a new one if you need it."
        )
    if invitation.is_expired:
        raise ActionRefused(
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%-d %B %Y}. "
            f"Ask {leader} to invite you again."
        )
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise ActionRefused(
            f"This invitation was sent to {_masked(invitation.email)}, but you are signed in as "
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
