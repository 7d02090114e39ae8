"""A small world for the programmes tests: a programme with a cohort, its leader, a student
sharing her portfolio with a submission in review, a leader of another programme, another
practitioner; and ways to change the student's consent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import Role, User
from core.cpd_year import CpdYear, cpd_year_containing
from portfolio.models import Capability, Entry, Status
from programmes.cohorts import create_programme
from programmes.models import Cohort, Membership, Programme, Submission
from programmes.submissions import submit
from tests.factories import make_entry, make_user

# No quotes or ampersands: HTML escaping would hide them from an "in content" check.
THIS_YEAR_TITLE = "Supervision on strengths-based practice this year"
PEER_TITLE = "Group supervision on thresholds this year"
LAST_YEAR_TITLE = "Webinar on the Care Act last year"
DRAFT_TITLE = "Unfinished note on a podcast"
OTHER_TITLE = "Jo Other reflects on a live chat"


@dataclass
class World:
    today: dt.date
    this_year: CpdYear
    last_year: CpdYear
    leader: User
    student: User
    other_leader: User
    other_practitioner: User
    programme: Programme
    cohort: Cohort
    other_programme: Programme
    other_cohort: Cohort
    membership: Membership
    submission: Submission
    entry: Entry  # the student's complete entry in this year

    def share(self, shared_year: int | None) -> None:
        Membership.objects.filter(pk=self.membership.pk).update(
            shared_year=shared_year, revoked_at=None
        )

    def revoke(self) -> None:
        Membership.objects.filter(pk=self.membership.pk).update(revoked_at=timezone.now())


def join(student: User, cohort: Cohort, shared_year: int | None = None) -> Membership:
    return Membership.objects.create(cohort=cohort, student=student, shared_year=shared_year)


def make_leader(email: str, **fields) -> User:
    return make_user(email, role=Role.PROGRAMME_LEADER, **fields)


def make_cohort(leader: User, programme_name: str, cohort_name: str = "2026 intake") -> Cohort:
    programme = create_programme(name=programme_name, description="", created_by=leader)
    return Cohort.objects.create(programme=programme, name=cohort_name)


@pytest.fixture
def world(practitioner, other_practitioner, programme_leader) -> World:
    today = timezone.localdate()
    this_year = cpd_year_containing(today)
    last_year = this_year.previous()
    pcf5 = Capability.objects.get(code="PCF5")

    entry = make_entry(practitioner, title=THIS_YEAR_TITLE, occurred_on=today, capabilities=[pcf5])
    make_entry(
        practitioner,
        title=PEER_TITLE,
        occurred_on=today,
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning="We talked about thresholds.",
    )
    make_entry(practitioner, title=LAST_YEAR_TITLE, occurred_on=last_year.end)
    make_entry(practitioner, title=DRAFT_TITLE, occurred_on=today, status=Status.DRAFT)
    make_entry(other_practitioner, title=OTHER_TITLE, occurred_on=today)

    cohort = make_cohort(programme_leader, "Advanced practice MSc")
    other_leader = make_leader("other.leader@example.org", display_name="Dr Other Leader")
    other_cohort = make_cohort(other_leader, "Leadership programme")
    join(other_practitioner, other_cohort)
    membership = join(practitioner, cohort)
    submission = submit(membership, this_year)
    return World(
        today=today,
        this_year=this_year,
        last_year=last_year,
        leader=programme_leader,
        student=practitioner,
        other_leader=other_leader,
        other_practitioner=other_practitioner,
        programme=cohort.programme,
        cohort=cohort,
        other_programme=other_cohort.programme,
        other_cohort=other_cohort,
        membership=membership,
        submission=submission,
        entry=entry,
    )
