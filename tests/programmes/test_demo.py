"""The demo: the demo leader runs a programme whose cohort includes the demo practitioner,
sharing her whole portfolio, with her previous CPD year signed off and her current one in
review; loading again changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from core.cpd_year import cpd_year_containing
from core.models import OutgoingEmail
from portfolio.demo import load_demo_data
from portfolio.models import Entry
from programmes.access import shared_portfolio_for, submission_for
from programmes.demo import load_programme_demo
from programmes.models import (
    Cohort,
    Comment,
    Membership,
    Notification,
    Programme,
    SignOff,
    Submission,
    SubmissionStatus,
)

LATE_IN_YEAR = dt.date(2026, 11, 21)


def load(today: dt.date) -> None:
    load_demo_data(today)
    load_programme_demo(today)


@pytest.mark.django_db
def test_the_demo_leader_reviews_the_demo_practitioners_current_year():
    load(LATE_IN_YEAR)
    leader = User.objects.get(email="leader@example.org")
    practitioner = User.objects.get(email="practitioner@example.org")
    year = cpd_year_containing(LATE_IN_YEAR)

    (programme,) = Programme.objects.for_user(leader)
    membership = Membership.objects.get(cohort__programme=programme, student=practitioner)
    assert membership.cohort.name == "2024 intake"  # when her previous year, 2024-25, began
    assert membership.shared_year is None
    shared = shared_portfolio_for(leader, practitioner.pk)
    assert shared.covers(year) and shared.covers(year.previous())
    submission = membership.submissions.get(year=year.end.year)
    assert submission.status == SubmissionStatus.IN_REVIEW
    in_year = Entry.objects.for_user(practitioner).complete().in_year(year)
    assert submission.snapshots.get().entries.count() == in_year.count()
    assert submission_for(leader, submission.pk).can_decide
    comment = Comment.objects.get()
    assert comment.author == leader and comment.entry is not None
    # Submitted and signed off, then submitted and commented on: each heard by the other side,
    # in the app, but not emailed: there is nobody behind the demo addresses.
    assert Notification.objects.count() == 4
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_the_demo_leader_has_signed_off_the_previous_year():
    load(LATE_IN_YEAR)
    previous = cpd_year_containing(LATE_IN_YEAR).previous()

    signoff = SignOff.objects.get()
    assert signoff.submission.year == previous.end.year
    assert signoff.submission.status == SubmissionStatus.SIGNED_OFF
    assert signoff.signed_by.email == "leader@example.org"
    assert signoff.signed_on == LATE_IN_YEAR
    assert signoff.snapshot.entries.filter(is_peer_reflected=True).exists()


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    load(LATE_IN_YEAR)
    models = [Programme, Cohort, Membership, Submission, SignOff, Comment]
    counts = [model.objects.count() for model in models]

    load(LATE_IN_YEAR)
    load(LATE_IN_YEAR + dt.timedelta(days=14))  # in the next CPD year, too

    assert [model.objects.count() for model in models] == counts
    assert counts == [1, 1, 1, 2, 1, 1]


@pytest.mark.django_db
def test_the_load_demo_command_loads_the_programme():
    call_command("load_demo", stdout=StringIO())

    membership = Membership.objects.get()
    assert membership.student.email == "practitioner@example.org"
    assert list(membership.cohort.programme.leaders.values_list("email", flat=True)) == [
        "leader@example.org"
    ]
