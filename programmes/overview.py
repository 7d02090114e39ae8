"""A cohort at a glance for its leaders: for each student sharing the year, their complete
entries and hours, capability coverage, last entry, the regulator's checklist and where their
submission stands. A fixed number of queries however large the cohort, none of them reading
the students' entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Max
from django.utils.functional import cached_property

from accounts.models import User
from core.cpd_year import CpdYear
from core.fragments import cohort_scope, renew
from portfolio.dashboard import FrameworkCoverage, capabilities_in_order, coverage_from_counts
from portfolio.models import Capability, YearTally
from portfolio.tallies import (
    capability_counts,
    judged_from_entries,
    tallies_of,
    tally_checklist,
)
from regulators.requirements import Checklist

from .access import CohortView
from .models import Membership, Submission, SubmissionStatus

NO_SUBMISSION = "none"
# A phone's few screens of rows; sorting and filtering still run over the whole cohort.
STUDENTS_PER_PAGE = 50
# Ascending order of the submission column: the furthest along last.
SUBMISSION_ORDER = [
    NO_SUBMISSION,
    SubmissionStatus.CHANGES_REQUESTED,
    SubmissionStatus.IN_REVIEW,
    SubmissionStatus.SIGNED_OFF,
]


@dataclass(frozen=True)
class StudentRow:
    membership: Membership
    shares_year: bool  # False: the student shares another year only, so nothing is shown
    entries: int
    minutes: int
    last_entry: dt.date | None
    submission: Submission | None
    # What the checklist and the coverage are drawn from, only for the rows a page shows (or
    # a sort or filter asks about).
    tally: YearTally | None
    year: CpdYear
    capabilities: list[Capability]
    judged_from_entries: Checklist | None  # the checklist, when the tally cannot say it

    @property
    def student(self) -> User:
        return self.membership.student

    @property
    def submission_state(self) -> str:
        return self.submission.status if self.submission else NO_SUBMISSION

    @cached_property
    def checklist(self) -> Checklist | None:
        if not self.shares_year:
            return None
        return self.judged_from_entries or tally_checklist(self.tally, self.year)

    @cached_property
    def coverage(self) -> list[FrameworkCoverage]:
        if not self.shares_year:
            return []
        return coverage_from_counts(capability_counts(self.tally), self.capabilities)

    @property
    def checklist_items_met(self) -> int:
        return sum(item.met for item in self.checklist.items) if self.checklist else -1


SORT_KEYS: dict[str, Callable[[StudentRow], Any]] = {
    "name": lambda row: (str(row.student).lower(), row.student.pk),
    "entries": lambda row: row.entries,
    "hours": lambda row: row.minutes,
    "last_entry": lambda row: row.last_entry or dt.date.min,
    "checklist": lambda row: row.checklist_items_met,
    "submission": lambda row: SUBMISSION_ORDER.index(row.submission_state),
}


@dataclass(frozen=True)
class CohortOverview:
    year: CpdYear
    rows: list[StudentRow]  # every student the filters keep, in order
    page: Page  # the rows shown
    total: int  # students sharing with the cohort, before filtering
    sort: str


def _filtered(rows: list[StudentRow], filters: dict[str, Any]) -> list[StudentRow]:
    if filters.get("q"):
        text = filters["q"].lower()
        rows = [r for r in rows if text in str(r.student).lower() or text in r.student.email]
    if filters.get("checklist"):
        met = filters["checklist"] == "met"
        rows = [r for r in rows if r.checklist is not None and r.checklist.met == met]
    if filters.get("submission"):
        rows = [r for r in rows if r.submission_state == filters["submission"]]
    return rows


def renew_overviews_of(student_id: int) -> None:
    """Every overview that shows ``student_id`` is renewed once the change commits: the
    overview is cached under its cohort's version (core/fragments.py), and her entries, her
    name, her consent and her submissions are on it. Called whenever her portfolio's version
    is renewed, and on every save of her account, memberships and submissions
    (programmes/apps.py)."""
    memberships = Membership.objects.filter(student_id=student_id)
    for cohort_id in memberships.values_list("cohort_id", flat=True):
        renew(cohort_scope(cohort_id))


def build_cohort_overview(
    view: CohortView, year: CpdYear, today: dt.date, filters: dict[str, Any], page: str | None
) -> CohortOverview:
    """``filters``: the valid ones of an OverviewFilterForm (q, checklist, submission, sort:
    a SORT_KEYS name, "-" in front for descending); ``page``: the page asked for, of
    STUDENTS_PER_PAGE rows. Each student's figures come from her tally of the year
    (portfolio.tallies), so the cost follows the cohort's size, not her log's."""
    sharing = [m for m in view.memberships if m.covers(year)]
    tallies = tallies_of((m.student_id for m in sharing), year)
    checklists = judged_from_entries(tallies, view.entries_in(year), year, today)
    capabilities = capabilities_in_order()
    submissions = {
        s.membership_id: s
        for s in Submission.objects.filter(membership__in=sharing, year=year.end.year).annotate(
            version=Max("snapshots__number")
        )
    }

    rows = []
    for membership in view.memberships:
        owner = membership.student_id
        tally = tallies.get(owner)
        rows.append(
            StudentRow(
                membership=membership,
                shares_year=membership.covers(year),
                entries=tally.entries if tally else 0,
                minutes=tally.minutes if tally else 0,
                last_entry=tally.last_entry if tally else None,
                submission=submissions.get(membership.pk),
                tally=tally,
                year=year,
                capabilities=capabilities,
                judged_from_entries=checklists.get(owner),
            )
        )

    sort = filters.get("sort") or "name"
    rows.sort(key=SORT_KEYS["name"])  # ties keep alphabetical order
    rows.sort(key=SORT_KEYS[sort.lstrip("-")], reverse=sort.startswith("-"))
    shown = _filtered(rows, filters)
    return CohortOverview(
        year=year,
        rows=shown,
        page=Paginator(shown, STUDENTS_PER_PAGE).get_page(page),
        total=len(rows),
        sort=sort,
    )
