"""Reviewing a submission: leaders comment on single entries of the current version or on the
whole, either side replies, and a leader requests changes or signs off. Every action is
appended to the audit trail and the other side is notified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core.cpd_year import cpd_year_ending_in
from core.fragments import renew_owner_version

from .access import SubmissionAccess
from .audit import record
from .errors import ActionRefused
from .models import (
    AuditAction,
    Comment,
    Membership,
    NotificationKind,
    SignOff,
    Snapshot,
    SnapshotEntry,
    Submission,
    SubmissionStatus,
)
from .notifications import notify
from .submissions import other_side

CLOSED = "This submission has been signed off, so it is closed to further comments."
ERASED = "The student deleted her account: this submission is a closed record."


def current_snapshot(submission: Submission) -> Snapshot:
    return submission.snapshots.order_by("-number").first()


def _locked(submission: Submission) -> Submission:
    """The submission row again, locked until the transaction ends, so that two decisions
    (or a decision and a resubmission) cannot both go through. The record kept of a student
    who deleted her account is closed to every action."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not Membership.objects.filter(pk=locked.membership_id, student__isnull=False).exists():
        raise ActionRefused(ERASED)
    return locked


def _year_label(submission: Submission) -> str:
    return cpd_year_ending_in(submission.year).label


def _record_and_tell(
    submission: Submission,
    actor,
    action: str,
    *,
    version: int,
    detail: str,
    kind: str,
    text: str,
) -> None:
    """Put what ``actor`` did on the audit trail and tell the other side of the submission."""
    record(submission, actor=actor, action=action, version=version, detail=detail)
    notify(
        other_side(submission, actor),
        kind=kind,
        text=text,
        url=submission.get_absolute_url(),
        submission=submission,
    )


def add_comment(
    access: SubmissionAccess, author, text: str, *, entry: SnapshotEntry | None = None
) -> Comment:
    """A leader's comment on ``entry`` of the version under review, or on the whole."""
    if not access.as_leader:
        raise ActionRefused("Only the programme's leaders start comments; reply to theirs.")
    with transaction.atomic():
        submission = _locked(access.submission)
        if submission.is_signed_off:
            raise ActionRefused(CLOSED)
        snapshot = current_snapshot(submission)
        if entry is not None and entry.snapshot_id != snapshot.pk:
            raise ActionRefused(
                f"That entry is not part of version {snapshot.number}, the version under "
                "review, so it cannot be commented on."
            )
        comment = Comment.objects.create(
            snapshot=snapshot, entry=entry, author=author, author_name=str(author), text=text
        )
        about = f"on “{entry.title}”" if entry else "on the whole submission"
        _record_and_tell(
            submission,
            author,
            AuditAction.COMMENTED,
            version=snapshot.number,
            detail=f"{about[:1].upper()}{about[1:]}: {text}",
            kind=NotificationKind.COMMENT,
            text=f"{author} commented {about} of CPD year {_year_label(submission)}.",
        )
    return comment


def reply(access: SubmissionAccess, author, parent: Comment, text: str) -> Comment:
    """A reply, from either side, to a comment of this submission; replies to a reply join
    the same thread."""
    thread = parent.reply_to or parent
    with transaction.atomic():
        submission = _locked(access.submission)
        if thread.snapshot.submission_id != submission.pk:
            raise ActionRefused("That comment belongs to another submission.")
        if submission.is_signed_off:
            raise ActionRefused(CLOSED)
        comment = Comment.objects.create(
            snapshot=thread.snapshot,
            entry=thread.entry,
            reply_to=thread,
            author=author,
            author_name=str(author),
            text=text,
        )
        _record_and_tell(
            submission,
            author,
            AuditAction.REPLIED,
            version=thread.snapshot.number,
            detail=f"To {thread.author_name}: {text}",
            kind=NotificationKind.COMMENT,
            text=f"{author} replied to a comment on CPD year {_year_label(submission)}.",
        )
    return comment


def _decidable(access: SubmissionAccess) -> tuple[Submission, Snapshot]:
    if not access.as_leader:
        raise ActionRefused("Only the programme's leaders decide on a submission.")
    submission = _locked(access.submission)
    if submission.status == SubmissionStatus.SIGNED_OFF:
        raise ActionRefused("This submission has already been signed off.")
    if submission.status == SubmissionStatus.CHANGES_REQUESTED:
        raise ActionRefused(
            "Changes have already been requested: the student will resubmit before you decide."
        )
    return submission, current_snapshot(submission)


def request_changes(access: SubmissionAccess, leader, text: str) -> Comment:
    """Send the submission back to the student, saying what to change (kept as a comment on
    the whole, so the student can reply to it)."""
    with transaction.atomic():
        submission, snapshot = _decidable(access)
        comment = Comment.objects.create(
            snapshot=snapshot, author=leader, author_name=str(leader), text=text
        )
        submission.status = SubmissionStatus.CHANGES_REQUESTED
        submission.save(update_fields=["status", "updated_at"])
        _record_and_tell(
            submission,
            leader,
            AuditAction.CHANGES_REQUESTED,
            version=snapshot.number,
            detail=text,
            kind=NotificationKind.DECISION,
            text=f"{leader} asked for changes to CPD year {_year_label(submission)}.",
        )
    return comment


NOT_CONFIRMED = (
    "Tick “I confirm” to sign off: the student receives a credential of it at once, which "
    "only revoking the sign-off withdraws."
)


def sign_off_declaration(submission: Submission, version: int) -> str:
    """What a leader confirms by signing off, shown beside the box she ticks."""
    programme = submission.membership.cohort.programme
    return (
        f"I confirm that I have reviewed version {version} of "
        f"{submission.membership.student_name}’s CPD year {_year_label(submission)}, and I sign "
        f"it off with the statement above, to be issued to them as a verifiable credential by "
        f"{programme.issuer_name}."
    )


# Called inside sign_off's transaction with the new sign-off: the credentials app registers
# the issuing of the student's credential here (credentials/apps.py), as programmes may not
# import it (settings.INSTALLED_APPS).
SignOffHook = Callable[[SignOff], object]
_sign_off_hooks: list[SignOffHook] = []


def register_sign_off_hook(hook: SignOffHook) -> None:
    if hook not in _sign_off_hooks:
        _sign_off_hooks.append(hook)


def sign_off(
    access: SubmissionAccess,
    leader,
    *,
    name: str,
    role: str,
    signed_on: dt.date,
    statement: str,
    confirmed: bool,
) -> SignOff:
    """Sign off the version under review, once the leader has confirmed the declaration
    (``sign_off_declaration``): the submission is then closed, and the statement goes on the
    student's dashboard and evidence packs."""
    if not confirmed:
        raise ActionRefused(NOT_CONFIRMED)
    with transaction.atomic():
        submission, snapshot = _decidable(access)
        signoff = SignOff.objects.create(
            submission=submission,
            snapshot=snapshot,
            signed_by=leader,
            name=name,
            role=role,
            signed_on=signed_on,
            statement=statement,
        )
        submission.status = SubmissionStatus.SIGNED_OFF
        submission.save(update_fields=["status", "updated_at"])
        for hook in _sign_off_hooks:
            hook(signoff)
        # The sign-off is on her dashboard, which is cached until her portfolio changes.
        renew_owner_version(submission.membership.student_id)
        _record_and_tell(
            submission,
            leader,
            AuditAction.SIGNED_OFF,
            version=snapshot.number,
            detail=f"{name}, {role}, {signed_on:%-d %B %Y}: {statement}",
            kind=NotificationKind.DECISION,
            text=f"{name} signed off CPD year {_year_label(submission)}.",
        )
    return signoff


def revoke_sign_off(access: SubmissionAccess, leader, reason: str) -> SignOff:
    """Withdraw the submission's sign-off, saying why: it leaves the student's dashboard and
    evidence packs, and the credential issued for it verifies as revoked from now on. The
    submission stays closed, and the sign-off and its revocation stay in the record."""
    if not access.as_leader:
        raise ActionRefused("Only the programme's leaders revoke a sign-off.")
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Say why you revoke the sign-off: the student is told.")
    with transaction.atomic():
        submission = _locked(access.submission)
        signoff = SignOff.objects.filter(submission=submission).first()
        if signoff is None:
            raise ActionRefused("This submission has not been signed off.")
        if signoff.is_revoked:
            raise ActionRefused("This sign-off has already been revoked.")
        signoff.revoked_at = timezone.now()
        signoff.revoked_by = leader
        signoff.revocation_reason = reason
        signoff.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        submission.save(update_fields=["updated_at"])
        renew_owner_version(submission.membership.student_id)
        _record_and_tell(
            submission,
            leader,
            AuditAction.SIGN_OFF_REVOKED,
            version=signoff.snapshot.number,
            detail=reason,
            kind=NotificationKind.DECISION,
            text=f"{leader} revoked the sign-off of CPD year {_year_label(submission)}.",
        )
    return signoff
