"""A cohort at a glance for its leaders: for each student sharing the year, their complete
entries and hours, capability coverage, last entry, the regulator's checklist and where their
submission stands. A fixed number of queries however large the cohort."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Sum

from accounts.models import User
from core.cpd_year import CpdYear
from portfolio.checklist import Checklist
from portfolio.dashboard import FrameworkCoverage

from .access import CohortView
from .models import Membership, Submission, SubmissionStatus
from .progress import checklists_by_owner, coverage_by_owner

NO_SUBMISSION = "none"
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
    checklist: Checklist | None
    coverage: list[FrameworkCoverage]
    submission: Submission | None

    @property
    def student(self) -> User:
        return self.membership.student

    @property
    def submission_state(self) -> str:
        return self.submission.status if self.submission else NO_SUBMISSION

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
    rows: list[StudentRow]
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


def build_cohort_overview(
    view: CohortView, year: CpdYear, today: dt.date, filters: dict[str, Any]
) -> CohortOverview:
    """``filters``: the valid ones of an OverviewFilterForm (q, checklist, submission, sort:
    a SORT_KEYS name, "-" in front for descending)."""
    entries = view.entries_in(year)
    sharing = [m for m in view.memberships if m.covers(year)]
    owner_ids = [m.student_id for m in sharing]

    totals = {
        row["owner"]: row
        for row in entries.values("owner")
        .annotate(entries=Count("pk"), minutes=Sum("duration_minutes"), last=Max("occurred_on"))
        .order_by()
    }
    checklists = checklists_by_owner(entries, owner_ids, year, today)
    coverage = coverage_by_owner(entries, owner_ids)
    submissions = {
        s.membership_id: s
        for s in Submission.objects.filter(membership__in=sharing, year=year.end.year).annotate(
            version=Max("snapshots__number")
        )
    }

    rows = []
    for membership in view.memberships:
        owner = membership.student_id
        shares_year = membership.covers(year)
        total = totals.get(owner, {})
        rows.append(
            StudentRow(
                membership=membership,
                shares_year=shares_year,
                entries=total.get("entries", 0),
                minutes=total.get("minutes") or 0,
                last_entry=total.get("last"),
                checklist=checklists.get(owner),
                coverage=coverage.get(owner, []),
                submission=submissions.get(membership.pk),
            )
        )

    sort = filters.get("sort") or "name"
    rows.sort(key=SORT_KEYS["name"])  # ties keep alphabetical order
    rows.sort(key=SORT_KEYS[sort.lstrip("-")], reverse=sort.startswith("-"))
    return CohortOverview(year=year, rows=_filtered(rows, filters), total=len(rows), sort=sort)
