"""Demo data for programmes: the demo leader runs a two-year programme whose cohort includes
the demo practitioner, who shares her whole portfolio. The leader has signed off her previous
CPD year, and she has submitted her current one so far, which the leader has begun to review.
Both years' entries are dated by portfolio.demo relative to ``today``, so on any day they
exist and none is in the future. Runs after portfolio.demo has created the users; safe to run
again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.models import User
from core.cpd_year import CpdYear, cpd_year_containing
from core.models import OutgoingEmail
from portfolio.models import Entry

from .access import submission_for
from .cohorts import create_programme
from .models import Cohort, Membership, Programme
from .review import add_comment, current_snapshot, sign_off
from .submissions import submit

LEADER_EMAIL = "leader@example.org"
PRACTITIONER_EMAIL = "practitioner@example.org"
PROGRAMME_NAME = "Advanced post-qualifying social work (MSc)"
PROGRAMME_DESCRIPTION = (
    "A two-year part-time programme for experienced practitioners: critical reflection, "
    "research-minded practice and professional leadership."
)
PREVIOUS_YEAR_NOTE = "My first CPD year on the programme, for sign-off."
SUBMISSION_NOTE = "My CPD year so far, with the peer discussions from group supervision."
SIGN_OFF_ROLE = "Programme leader"
SIGN_OFF_STATEMENT = (
    "A full year of well-evidenced CPD: each entry says what changed in practice, and the "
    "peer discussions show real critical reflection."
)
COMMENT = (
    "A clear account of what changed in your practice. Could you say which of the PCF "
    "domains this evidences most strongly, and why?"
)


def _intake_name(year: CpdYear) -> str:
    """Named for when the practitioner joined: the start of her previous CPD year, the one
    the leader has signed off."""
    return f"{year.previous().start.year} intake"


def _has_complete_entries(student: User, year: CpdYear) -> bool:
    """False only for a practitioner left from an older demo, whose log may not reach
    ``year``: there is nothing to submit then."""
    return Entry.objects.for_user(student).complete().in_year(year).exists()


def _submit_and_sign_off(
    membership: Membership, leader: User, year: CpdYear, today: dt.date
) -> None:
    submission = submit(membership, year, note=PREVIOUS_YEAR_NOTE)
    sign_off(
        submission_for(leader, submission.pk),
        leader,
        name=str(leader),
        role=SIGN_OFF_ROLE,
        signed_on=today,
        statement=SIGN_OFF_STATEMENT,
        confirmed=True,
    )


def _submit_and_comment(membership: Membership, leader: User, year: CpdYear) -> None:
    submission = submit(membership, year, note=SUBMISSION_NOTE)
    entry = current_snapshot(submission).entries.first()
    add_comment(submission_for(leader, submission.pk), leader, COMMENT, entry=entry)


def load_programme_demo(today: dt.date) -> None:
    leader = User.objects.filter(email=LEADER_EMAIL).first()
    practitioner = User.objects.filter(email=PRACTITIONER_EMAIL).first()
    if leader is None or practitioner is None:
        return
    year = cpd_year_containing(today)
    with transaction.atomic():
        programme = Programme.objects.for_user(leader).filter(name=PROGRAMME_NAME).first()
        if programme is None:
            programme = create_programme(
                name=PROGRAMME_NAME, description=PROGRAMME_DESCRIPTION, created_by=leader
            )
        # Loaded again in a later year, the cohort keeps the name it was given.
        cohort = programme.cohorts.first() or Cohort.objects.create(
            programme=programme, name=_intake_name(year)
        )
        # No shared year: the consent covers both years the leader reviews.
        membership, joined = Membership.objects.get_or_create(cohort=cohort, student=practitioner)
        if joined and _has_complete_entries(practitioner, year.previous()):
            _submit_and_sign_off(membership, leader, year.previous(), today)
        if joined and _has_complete_entries(practitioner, year):
            _submit_and_comment(membership, leader, year)
        # Listed in the app, but nobody is there to email: no email is owed.
        OutgoingEmail.objects.filter(
            recipient__in=[leader.email, practitioner.email], sent_at=None
        ).delete()
