"""Who may read what across programmes. A leader reads a student's data only through this
module, and only what the student's consent covers at the moment of the request: nothing is
cached, so revoking consent takes effect on the next request. Everything else answers 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, User
from core.cpd_year import CpdYear
from packs.building import is_downloadable
from portfolio.models import Entry, EntryQuerySet

from .models import (
    Cohort,
    Membership,
    MembershipQuerySet,
    Programme,
    SharedPack,
    SharedPackQuerySet,
    Submission,
    SubmissionStatus,
)

LEADING_ROLES = {Role.PROGRAMME_LEADER, Role.ADMIN}


def may_lead(user) -> bool:
    """Programme leaders, and staff, may create programmes and be made co-leaders."""
    return user.is_authenticated and user.role in LEADING_ROLES


def consenting_memberships(leader) -> MembershipQuerySet:
    """Every consent, not revoked, given to a cohort of a programme ``leader`` leads: the root
    of everything a leader may read about students."""
    if not leader.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active().filter(cohort__programme__leaders=leader)


def _shared_entries(memberships: list[Membership], year: CpdYear) -> EntryQuerySet:
    """Complete entries in ``year`` of the students among ``memberships`` whose consent covers
    it. Drafts are the student's unfinished notes and are never shared."""
    owners = {m.student_id for m in memberships if m.covers(year)}
    return Entry.objects.filter(owner__in=owners).complete().in_year(year)


@dataclass(frozen=True)
class SharedView:
    """What one student shares with one leader, through any of the leader's cohorts."""

    student: User
    memberships: list[Membership]

    @property
    def whole_portfolio(self) -> bool:
        return any(m.shared_year is None for m in self.memberships)

    @property
    def shared_years(self) -> list[int]:
        """The years shared one by one, newest first (empty when the whole portfolio is)."""
        return sorted({m.shared_year for m in self.memberships if m.shared_year}, reverse=True)

    def covers(self, year: CpdYear) -> bool:
        return any(m.covers(year) for m in self.memberships)

    def entries_in(self, year: CpdYear) -> EntryQuerySet:
        return _shared_entries(self.memberships, year)


def shared_portfolio_for(leader, student_id: int) -> SharedView:
    memberships = list(
        consenting_memberships(leader)
        .filter(student_id=student_id)
        .select_related("student", "cohort__programme")
    )
    if not memberships:
        raise Http404("No student shares a portfolio with you under that number.")
    return SharedView(memberships[0].student, memberships)


def programme_for(leader, pk: int) -> Programme:
    try:
        return Programme.objects.for_user(leader).get(pk=pk)
    except Programme.DoesNotExist as error:
        raise Http404("You lead no programme with that number.") from error


MEMBERSHIP_FIELDS = [
    "cohort_id",
    "student_id",
    "shared_year",
    "joined_at",
    "consented_at",
    "revoked_at",
]


@dataclass(frozen=True)
class CohortView:
    """A cohort as one of its leaders sees it: the students currently sharing, and only that."""

    cohort: Cohort
    sharing: MembershipQuerySet  # read when first needed: a cached page may not need it

    @cached_property
    def memberships(self) -> list[Membership]:
        # What the overview shows of each of hundreds of students: not her password hash,
        # profile and settings.
        return list(
            self.sharing.select_related("student").only(
                *MEMBERSHIP_FIELDS, "student__email", "student__display_name"
            )
        )

    def entries_in(self, year: CpdYear) -> EntryQuerySet:
        return _shared_entries(self.memberships, year)


def kept_records(view: CohortView) -> list[Submission]:
    """The submissions the cohort keeps of students who deleted their accounts."""
    return list(
        Submission.objects.filter(membership__cohort=view.cohort, membership__student=None)
        .select_related("membership")
        .order_by("membership__erased_as", "-year")
    )


def cohort_for(leader, pk: int) -> CohortView:
    try:
        cohort = Cohort.objects.for_user(leader).select_related("programme").get(pk=pk)
    except Cohort.DoesNotExist as error:
        raise Http404("You lead no cohort with that number.") from error
    return CohortView(cohort, consenting_memberships(leader).filter(cohort=cohort))


@dataclass(frozen=True)
class SubmissionAccess:
    """A submission and what the person asking may do with it."""

    submission: Submission
    as_student: bool

    @property
    def as_leader(self) -> bool:
        return not self.as_student

    @property
    def is_record_only(self) -> bool:
        """The student deleted her account: what the programme keeps is read, never acted on."""
        return self.submission.membership.is_erased

    @property
    def is_open(self) -> bool:
        return not (self.submission.is_signed_off or self.is_record_only)

    @property
    def can_comment(self) -> bool:
        return self.as_leader and self.is_open

    @property
    def can_reply(self) -> bool:
        return self.is_open

    @property
    def can_decide(self) -> bool:
        return (
            self.is_open
            and self.as_leader
            and self.submission.status == (SubmissionStatus.IN_REVIEW)
        )

    @property
    def can_resubmit(self) -> bool:
        return self.as_student and self.submission.status == SubmissionStatus.CHANGES_REQUESTED


def readable_submissions(user) -> QuerySet[Submission]:
    """The submissions ``user`` may read: her own; as a leader of their programme, those whose
    student's consent still covers their year; and the records the programme keeps of students
    who deleted their accounts."""
    # A subquery, not a join on the leaders: a join would repeat the row once per co-leader.
    led_programmes = Programme.objects.for_user(user).values("pk")
    leader_with_consent = Q(
        membership__cohort__programme__in=led_programmes, membership__revoked_at__isnull=True
    ) & (Q(membership__shared_year__isnull=True) | Q(membership__shared_year=F("year")))
    kept_record = Q(
        membership__cohort__programme__in=led_programmes, membership__student__isnull=True
    )
    return Submission.objects.filter(
        Q(membership__student=user) | leader_with_consent | kept_record
    )


def submission_for(user, pk: int) -> SubmissionAccess:
    """The submission, to whoever may read it (readable_submissions); to anyone else, 404.
    Actions lock and re-read the row themselves (review.py)."""
    if not user.is_authenticated:
        raise Http404
    try:
        submission = (
            readable_submissions(user)
            .select_related("membership__student", "membership__cohort__programme")
            .get(pk=pk)
        )
    except Submission.DoesNotExist as error:
        raise Http404("No submission you may see has that number.") from error
    return SubmissionAccess(submission, as_student=submission.membership.student_id == user.pk)


def submission_acting_as(user, pk: int, role: str, refusal: str) -> SubmissionAccess:
    """The submission, for an action only its leaders (``role`` "leader") or only its student
    ("student") may take: 404 to anyone who may not see it, 403 with ``refusal`` to the
    other side."""
    access = submission_for(user, pk)
    if access.as_student != (role == "student"):
        raise PermissionDenied(refusal)
    return access


# --- Evidence packs a student shared --------------------------------------------------------------


def _active_shares(memberships) -> SharedPackQuerySet:
    """Shares not stopped, through any of ``memberships``."""
    return (
        SharedPack.objects.active()
        .filter(membership__in=memberships)
        .select_related("evidence_pack", "membership__cohort__programme")
    )


def _may_download(share: SharedPack, now: dt.datetime) -> bool:
    """The consent (read with the share, so current) still stands and covers the whole of the
    pack's period, and the pack is built and not expired. Checked in Python: a CPD year's
    dates come from the settings."""
    return share.membership.covers_period(share.evidence_pack.period) and is_downloadable(
        share.evidence_pack, now
    )


def downloadable_packs(shared: SharedView) -> list[SharedPack]:
    """The packs the student of ``shared`` lets its leader download right now, newest period
    first; a pack shared with two of the leader's cohorts is listed once."""
    now = timezone.now()
    shares = _active_shares(shared.memberships).order_by(
        "-evidence_pack__period_end", "-evidence_pack__created_at", "pk"
    )
    packs: dict[UUID, SharedPack] = {}
    for share in shares:
        if _may_download(share, now):
            packs.setdefault(share.evidence_pack_id, share)
    return list(packs.values())


def shared_pack_for(leader, evidence_pack_id: UUID) -> SharedPack:
    """The share through which ``leader`` may download pack ``evidence_pack_id`` now, or 404."""
    now = timezone.now()
    for share in _active_shares(consenting_memberships(leader)).filter(
        evidence_pack_id=evidence_pack_id
    ):
        if _may_download(share, now):
            return share
    raise Http404("No evidence pack is shared with you under that number.")
