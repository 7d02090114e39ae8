"""Submitting a CPD year for review, and resubmitting it after changes were asked for. Each
submission freezes the year's complete entries as a new numbered version."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.cpd_year import CpdYear, cpd_year_ending_in
from portfolio.models import Entry

from .audit import record
from .errors import ActionRefused
from .models import (
    AuditAction,
    Membership,
    NotificationKind,
    Snapshot,
    Submission,
    SubmissionStatus,
)
from .notifications import notify
from .snapshots import take_snapshot


def other_side(submission: Submission, actor) -> list:
    """Who hears about what ``actor`` did: the student hears about the leaders' actions, and
    the programme's leaders about the student's."""
    membership = submission.membership
    if actor.pk == membership.student_id:
        return list(membership.cohort.programme.leaders.all())
    return [membership.student]


def _already_submitted(submission: Submission, year: CpdYear) -> ActionRefused:
    when = f"{timezone.localtime(submission.created_at):%-d %B %Y}"
    if submission.status == SubmissionStatus.SIGNED_OFF:
        reason = f"CPD year {year.label} has already been signed off."
    elif submission.status == SubmissionStatus.CHANGES_REQUESTED:
        reason = (
            f"You submitted CPD year {year.label} on {when} and changes were requested: "
            "resubmit it from its page instead."
        )
    else:
        reason = (
            f"You already submitted CPD year {year.label} on {when}, and it is waiting for "
            "review. You can submit again once your programme leader asks for changes."
        )
    return ActionRefused(reason)


def _entries_to_freeze(student, year: CpdYear):
    entries = Entry.objects.for_user(student).complete().in_year(year)
    if not entries.exists():
        raise ActionRefused(f"You have no complete entries in CPD year {year.label} to submit.")
    return entries


def _check_consent(membership: Membership, year: CpdYear) -> None:
    if not membership.is_sharing:
        raise ActionRefused(
            f"You no longer share with {membership.cohort}: share again before you submit."
        )
    if not membership.covers(year):
        raise ActionRefused(
            f"You share only CPD year {cpd_year_ending_in(membership.shared_year).label} with "
            f"{membership.cohort}: share CPD year {year.label} too before you submit it."
        )


def submit(membership: Membership, year: CpdYear, *, note: str = "") -> Submission:
    """Put ``year`` to the cohort's leaders for review, as version 1."""
    _check_consent(membership, year)
    existing = Submission.objects.filter(membership=membership, year=year.end.year).first()
    if existing is not None:
        raise _already_submitted(existing, year)
    entries = _entries_to_freeze(membership.student, year)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(membership=membership, year=year.end.year)
            take_snapshot(submission, number=1, entries=entries, note=note)
            _record_and_notify(submission, AuditAction.SUBMITTED, 1)
    except IntegrityError:  # the same form sent twice at once: the other request won
        raise _already_submitted(
            Submission.objects.get(membership=membership, year=year.end.year), year
        ) from None
    return submission


def resubmit(submission: Submission, *, note: str = "") -> Snapshot:
    """Freeze the year's entries as they are now, as the next version, and put it back in
    review. Earlier versions, and what was said about them, stay as they were."""
    year = cpd_year_ending_in(submission.year)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != SubmissionStatus.CHANGES_REQUESTED:
            raise _already_submitted(submission, year)
        membership = submission.membership
        _check_consent(membership, year)
        number = submission.snapshots.count() + 1
        snapshot = take_snapshot(
            submission,
            number=number,
            entries=_entries_to_freeze(membership.student, year),
            note=note,
        )
        submission.status = SubmissionStatus.IN_REVIEW
        submission.save(update_fields=["status", "updated_at"])
        _record_and_notify(submission, AuditAction.RESUBMITTED, number)
    return snapshot


def _record_and_notify(submission: Submission, action: AuditAction, number: int) -> None:
    student = submission.membership.student
    year = cpd_year_ending_in(submission.year)
    record(submission, actor=student, action=action, version=number)
    verb = "submitted" if number == 1 else "resubmitted"
    notify(
        other_side(submission, student),
        kind=NotificationKind.SUBMISSION,
        text=f"{student} {verb} CPD year {year.label} for review (version {number}).",
        url=submission.get_absolute_url(),
        submission=submission,
    )
