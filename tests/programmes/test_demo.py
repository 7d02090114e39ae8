"""The demo: the demo leader runs a programme whose cohort includes the demo practitioner,
sharing her current CPD year, with a submission in review; loading again changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from portfolio.cpd_year import cpd_year_containing
from portfolio.demo import load_demo_data
from programmes.access import shared_portfolio_for, submission_for
from programmes.demo import load_programme_demo
from programmes.models import Comment, Membership, Notification, Programme, SubmissionStatus

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
    assert membership.shared_year == year.end.year
    shared = shared_portfolio_for(leader, practitioner.pk)
    assert shared.covers(year) and not shared.covers(year.previous())
    (submission,) = membership.submissions.all()
    assert submission.status == SubmissionStatus.IN_REVIEW
    assert submission.year == year.end.year
    assert submission.snapshots.get().entries.count() >= 20
    assert submission_for(leader, submission.pk).can_decide
    comment = Comment.objects.get()
    assert comment.author == leader and comment.entry is not None
    # In the app, but not emailed: there is nobody behind the demo addresses.
    assert Notification.objects.count() == 2
    assert not Notification.objects.filter(emailed_at=None).exists()


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    load(LATE_IN_YEAR)
    counts = [Programme.objects.count(), Membership.objects.count(), Comment.objects.count()]

    load(LATE_IN_YEAR)
    load(LATE_IN_YEAR + dt.timedelta(days=14))  # in the next CPD year, too

    assert [Programme.objects.count(), Membership.objects.count(), Comment.objects.count()] == (
        counts
    )
    assert counts == [1, 1, 1]


@pytest.mark.django_db
def test_the_load_demo_command_loads_the_programme():
    call_command("load_demo", stdout=StringIO())

    membership = Membership.objects.get()
    assert membership.student.email == "practitioner@example.org"
    assert list(membership.cohort.programme.leaders.values_list("email", flat=True)) == [
        "leader@example.org"
    ]
