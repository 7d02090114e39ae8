"""The cohort overview keeps its students' table in the cache (core/fragments.py), under the
cohort's version, which every change to what it shows renews once it commits
(programmes.overview.renew_overviews_of). Whatever a student, a leader or an admin changes,
the leader's next request shows it: each test reads the pages (so they are cached), makes one
kind of change and lets it commit, then compares each page with the same page built from
scratch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_containing
from portfolio.models import Capability
from programmes.access import submission_for
from programmes.consent import change_sharing, stop_sharing
from programmes.invitations import invite
from programmes.review import request_changes, sign_off
from programmes.submissions import resubmit, submit
from tests.cached_pages import CACHED_SECONDS, assert_served_as_built, page_content
from tests.factories import make_entry, make_user

from .conftest import join, make_cohort

pytestmark = pytest.mark.calendar  # the overview is of the year containing today


class Overview:
    def __init__(self, cohort, client: Client, settings) -> None:
        url = reverse("programmes:cohort_overview", args=[cohort.pk])
        self.urls = [url, f"{url}?sort=-checklist", f"{url}?q=student"]
        self.client, self.settings = client, settings

    def read(self) -> dict[str, str]:
        pages = {url: page_content(self.client.get(url)) for url in self.urls}
        students = page_content(self.client.get(self.urls[1], headers={"HX-Request": "true"}))
        return {**pages, "students (htmx)": students}

    def assert_current(self) -> None:
        assert_served_as_built(self.read, self.settings)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a change leaves for after its commit, as a real commit would."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def cohort(programme_leader):
    return make_cohort(programme_leader, "Social work MA")


@pytest.fixture
def students(cohort, today):
    students = [make_user(f"student{n}@example.net", display_name=f"Student {n}") for n in range(3)]
    for student in students:
        join(student, cohort)
        make_entry(student, occurred_on=today, is_peer_reflected=True, peer_learning="Yes.")
    return students


@pytest.fixture
def overview(cohort, students, programme_leader, client_for, settings) -> Overview:
    settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS
    overview = Overview(cohort, client_for(programme_leader), settings)
    overview.read()  # cached before the change
    return overview


def test_an_unchanged_overview_comes_from_the_cache(overview, django_assert_max_num_queries):
    # The floor's three and the cohort (the leader's access to it): no student's row.
    with django_assert_max_num_queries(4):
        overview.client.get(overview.urls[0])


def test_a_students_new_entry_and_new_name_show_at_once(overview, students, today, committed):
    with committed(execute=True):
        make_entry(students[0], occurred_on=today, title="A webinar on the Care Act")
    overview.assert_current()

    students[1].display_name = "Sam Okafor"
    with committed(execute=True):
        students[1].save()
    assert "Sam Okafor" in overview.read()[overview.urls[0]]
    overview.assert_current()


def test_submissions_and_decisions_show_at_once(
    overview, students, cohort, programme_leader, today, committed
):
    year = cpd_year_containing(today)
    membership = cohort.memberships.get(student=students[0])
    with committed(execute=True):
        submission = submit(membership, year)
    overview.assert_current()

    access = submission_for(programme_leader, submission.pk)
    with committed(execute=True):
        request_changes(access, programme_leader, "Add a reflection on supervision.")
    overview.assert_current()

    with committed(execute=True):
        resubmit(submission)
    overview.assert_current()

    with committed(execute=True):
        sign_off(
            submission_for(programme_leader, submission.pk),
            programme_leader,
            name="Dr A Leader",
            role="Programme leader",
            signed_on=today,
            statement="Meets the standard.",
            confirmed=True,
        )
    assert "Signed off" in overview.read()[overview.urls[0]]
    overview.assert_current()


def test_sharing_changes_and_new_students_show_at_once(
    overview, students, cohort, today, committed
):
    with committed(execute=True):
        change_sharing(
            cohort.memberships.get(student=students[0]),
            shared_year=cpd_year_containing(today).previous().end.year,
        )
    overview.assert_current()

    with committed(execute=True):
        stop_sharing(cohort.memberships.get(student=students[1]))
    pages = overview.read()
    assert "Student 1" not in pages["students (htmx)"]
    assert "Student 1" not in pages[overview.urls[0]]
    overview.assert_current()

    with committed(execute=True):
        join(make_user("newcomer@example.net", display_name="A Newcomer"), cohort)
    assert "A Newcomer" in overview.read()[overview.urls[0]]
    overview.assert_current()


def test_an_invitation_shows_at_once(overview, cohort, programme_leader, committed):
    with committed(execute=True):
        invite(cohort, ["new.student@example.org"], invited_by=programme_leader)
    assert "Invitations sent (1)" in overview.read()[overview.urls[0]]
    overview.assert_current()


def test_a_renamed_capability_and_a_new_day_show_at_once(overview, time_machine, committed):
    capability = Capability.objects.get(code="PCF5")
    capability.name = "Professional curiosity"
    with committed(execute=True):
        capability.save()
    overview.assert_current()

    time_machine.shift(24 * 60 * 60)
    overview.assert_current()


def test_the_comparison_can_fail(overview, students):
    """Control: a change made behind the domain's back (as no code of the portal makes one)
    leaves the cached overview as it was, and the comparison says so."""
    from portfolio.models import YearTally

    YearTally.objects.filter(owner=students[0]).update(entries=99)
    with pytest.raises(AssertionError):
        overview.assert_current()
