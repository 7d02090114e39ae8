"""What programmes keep when an account is deleted (accounts/erasure.py), as the README's
"Deleting an account" says.

A student's memberships and submissions stay as the programme's record, under a pseudonym
("Deleted student 4F2A9C", one for all her records): which cohorts she was in, the history of
her consent, each submission's year, versions, dates and outcome, the leaders' sign-offs and
requests for changes, and the audit trail. Her content goes: the frozen copies of her entries,
her notes to the leaders, the comment threads about them (the trail keeps that a comment or
reply was made, not its text), her evidence packs (a share of one stays, stopped and
pack-less, for its trail), and the invitations sent to her addresses.

A leader's account goes once each programme they lead has another leader: a programme is
never left without someone to answer for its records. Their name stays on the sign-offs,
comments and trail entries they wrote, as a signature on what they did in that role.
"""

from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from django.db.models import Count, Q, Value
from django.db.models.functions import Lower, Replace
from django.utils import timezone

from accounts.erasure import Erasure
from accounts.models import User

from .audit import record_consent
from .models import (
    AuditAction,
    AuditEvent,
    Comment,
    Invitation,
    Membership,
    Notification,
    Programme,
    SharedPack,
    Snapshot,
    SnapshotEntry,
)

ERASED_STUDENT = "Deleted student"


def last_leader_of(user: User) -> list[str]:
    """A reason to wait for each programme ``user`` is the only leader of."""
    # Counted over every leader, not only over the join for_user() filters on.
    alone = (
        Programme.objects.annotate(leader_count=Count("leaders"))
        .filter(pk__in=Programme.objects.for_user(user).values("pk"), leader_count=1)
        .order_by("name", "pk")
    )
    return [
        f"You are the only leader of {programme}: add a co-leader on its page (or ask an "
        "admin to), so that someone answers for its students' records, then delete your "
        "account."
        for programme in alone
    ]


def keep_records_of(erasure: Erasure) -> None:
    """Keep the programme's record of the deleted student, without her (see the module)."""
    user = erasure.user
    memberships = list(Membership.objects.for_user(user).select_for_update())
    if not memberships:
        _delete_invitations_to(user)
        return
    pseudonym = f"{ERASED_STUDENT} {secrets.token_hex(3).upper()}"
    name, now = str(user), timezone.now()
    SharedPack.objects.active().filter(membership__in=memberships).update(revoked_at=now)
    for membership in memberships:
        record_consent(membership, action=AuditAction.ACCOUNT_DELETED)
    _remove_submitted_content(memberships)
    about_her = (
        Q(membership__in=memberships)
        | Q(submission__membership__in=memberships)
        | Q(shared_pack__membership__in=memberships)
    )
    AuditEvent.objects.filter(about_her, actor=user).erase_personal_data(actor_name=pseudonym)
    AuditEvent.objects.filter(
        about_her, action__in=[AuditAction.COMMENTED, AuditAction.REPLIED]
    ).erase_personal_data(detail="")
    # The leaders' own notifications about her ("Alex Morgan submitted ...") name her.
    Notification.objects.filter(
        user__led_programmes__cohorts__memberships__in=memberships, text__contains=name
    ).update(text=Replace("text", Value(name), Value(pseudonym)))
    for membership in memberships:
        membership.student = None
        membership.erased_as = pseudonym
        membership.revoked_at = membership.revoked_at or now
        # Saved one by one, so each cohort's cached overview is renewed (programmes/apps.py).
        membership.save(update_fields=["student", "erased_as", "revoked_at"])
    _delete_invitations_to(user)


def _remove_submitted_content(memberships: list[Membership]) -> None:
    """Her entries as submitted, her notes, and the conversation about them."""
    comments = Comment.objects.filter(snapshot__submission__membership__in=memberships)
    comments.filter(reply_to__isnull=False).delete()
    comments.delete()
    SnapshotEntry.objects.filter(snapshot__submission__membership__in=memberships).delete()
    Snapshot.objects.filter(submission__membership__in=memberships).update(note="")


def _delete_invitations_to(user: User) -> None:
    addresses = {user.email.lower()} | {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    Invitation.objects.annotate(lowercase=Lower("email")).filter(lowercase__in=addresses).delete()
