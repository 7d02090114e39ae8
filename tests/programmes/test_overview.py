"""The cohort overview: the right figures for each student sharing the year, sorting and
filtering by query parameters, and the same number of queries for 10 students as for 300."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.cpd_year import cpd_year_containing
from portfolio.models import ActivityType, Capability, Entry, Status
from portfolio.tallies import recount_everyone
from programmes.access import submission_for
from programmes.models import Membership, Snapshot, Submission, SubmissionStatus
from programmes.overview import STUDENTS_PER_PAGE
from programmes.review import request_changes, sign_off
from programmes.submissions import submit
from tests.factories import make_entry, make_user

from .conftest import join, make_cohort

pytestmark = pytest.mark.calendar  # every figure here is of the year containing today

SMALL, LARGE = 10, 300


def overview_url(cohort, query: str = "") -> str:
    return reverse("programmes:cohort_overview", args=[cohort.pk]) + query


def rows_of(response) -> list:
    return response.context["overview"].rows


# --- Figures -------------------------------------------------------------------------------


@pytest.fixture
def cohort_of_four(programme_leader):
    """Four students: Bea has met the checklist and is signed off; Cal has one entry and was
    asked for changes; Dee shares last year only; Eve has nothing yet."""
    today = timezone.localdate()
    year = cpd_year_containing(today)
    cohort = make_cohort(programme_leader, "Advanced practice MSc")
    pcf5, pcf6 = Capability.objects.get(code="PCF5"), Capability.objects.get(code="PCF6")
    bea, cal, dee, eve = (
        make_user(f"{name.lower()}@example.org", display_name=name)
        for name in ("Bea", "Cal", "Dee", "Eve")
    )
    first_day = year.start
    make_entry(bea, occurred_on=first_day, duration_minutes=60, capabilities=[pcf5, pcf6])
    make_entry(
        bea,
        occurred_on=today,
        duration_minutes=30,
        capabilities=[pcf5],
        is_peer_reflected=True,
        peer_role="manager",
        peer_learning="Talked.",
    )
    make_entry(bea, occurred_on=today, status=Status.DRAFT, duration_minutes=600)
    make_entry(bea, occurred_on=year.previous().end, duration_minutes=600)
    make_entry(cal, occurred_on=first_day, duration_minutes=45)
    make_entry(dee, occurred_on=today, duration_minutes=90)
    memberships = {user.display_name: join(user, cohort) for user in (bea, cal, dee, eve)}
    Membership.objects.filter(pk=memberships["Dee"].pk).update(shared_year=year.end.year - 1)
    for name, decide in (("Bea", "sign"), ("Cal", "changes")):
        submission = submit(memberships[name], year)
        access = submission_for(programme_leader, submission.pk)
        if decide == "sign":
            sign_off(
                access,
                programme_leader,
                name="S",
                role="R",
                signed_on=today,
                statement="Yes.",
                confirmed=True,
            )
        else:
            request_changes(access, programme_leader, "More.")
    return cohort, year


def test_each_row_shows_the_students_year(cohort_of_four, programme_leader, client_for):
    cohort, year = cohort_of_four

    response = client_for(programme_leader).get(overview_url(cohort))

    assert response.status_code == 200
    rows = {row.student.display_name: row for row in rows_of(response)}
    assert list(rows) == ["Bea", "Cal", "Dee", "Eve"]
    bea, cal, dee, eve = rows.values()
    assert (bea.entries, bea.minutes, bea.last_entry) == (2, 90, timezone.localdate())
    assert bea.checklist.met and not cal.checklist.met and not eve.checklist.met
    assert (cal.entries, cal.minutes, cal.last_entry) == (1, 45, year.start)
    assert (eve.entries, eve.minutes, eve.last_entry) == (0, 0, None)
    assert bea.submission.status == SubmissionStatus.SIGNED_OFF
    assert cal.submission.status == SubmissionStatus.CHANGES_REQUESTED
    assert eve.submission is None
    pcf = {c.capability.code: c.level for c in bea.coverage[0].capabilities}
    assert (pcf["PCF5"], pcf["PCF6"], pcf["PCF1"]) == (2, 1, 0)
    assert bea.coverage[0].covered == 2
    # Dee shares last year only: no figures, no submission, no checklist.
    assert (dee.shares_year, dee.entries, dee.checklist, dee.submission) == (
        False,
        0,
        None,
        None,
    )
    content = response.content.decode()
    assert "Shares CPD year" in content
    assert "PCF 2 of 9" in content
    # Time spent is written as everywhere else ("1h 30m"), never as hours with a decimal.
    assert '<td class="number">1h 30m</td>' in content
    assert '<td class="number">45m</td>' in content
    assert "1.5" not in content
    # The status is the link to the submission, and its name says whose it is.
    assert (
        f'<a href="{bea.submission.get_absolute_url()}" class="status status-signed_off">'
        'Signed off<span class="visually-hidden"> (submission of Bea)</span></a>'
    ) in content


def test_an_entry_dated_after_today_is_judged_as_the_dashboard_judges_it(
    cohort_of_four, programme_leader, client_for
):
    """A complete entry dated in the future (written past the entry rules, as an admin might)
    does not count yet: the tally cannot know the day, so that student is judged from her
    entries."""
    cohort, year = cohort_of_four
    bea = User.objects.get(display_name="Bea")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if not year.contains(tomorrow):
        pytest.skip("today is the year's last day")
    make_entry(bea, occurred_on=tomorrow)

    rows = {
        r.student.display_name: r
        for r in rows_of(client_for(programme_leader).get(overview_url(cohort)))
    }

    assert rows["Bea"].entries == 3
    assert not rows["Bea"].checklist.met
    dates = next(i for i in rows["Bea"].checklist.items if i.key == "dates_in_year")
    assert not dates.met and dates.detail.startswith("1 entry is dated outside")


def test_a_large_cohort_is_shown_a_page_at_a_time(programme_leader, client_for):
    cohort = make_cohort(programme_leader, "A large programme")
    grow(cohort, STUDENTS_PER_PAGE + 7, programme_leader)
    client = client_for(programme_leader)

    first = client.get(overview_url(cohort, "?sort=-entries"))
    second = client.get(overview_url(cohort, "?sort=-entries&page=2"))

    assert len(first.context["overview"].page) == STUDENTS_PER_PAGE
    shown = [row.student for row in first.context["overview"].page]
    shown += [row.student for row in second.context["overview"].page]
    assert len(set(shown)) == STUDENTS_PER_PAGE + 7
    assert "Page 1 of 2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    # Sorting again starts from the first page.
    assert "page=2" not in second.context["query"]


FIRST_DAY_TIE = {"?sort=last_entry": ["Dee", "Eve", "Bea", "Cal"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Bea", "Cal", "Dee", "Eve"]),
        ("?sort=-name", ["Eve", "Dee", "Cal", "Bea"]),
        ("?sort=-entries", ["Bea", "Cal", "Dee", "Eve"]),
        ("?sort=entries", ["Dee", "Eve", "Cal", "Bea"]),
        ("?sort=-hours", ["Bea", "Cal", "Dee", "Eve"]),
        # Cal's last entry is the year's first day, Bea's today: on the first day they tie,
        # and ties stay in alphabetical order (FIRST_DAY_TIE below).
        ("?sort=last_entry", ["Dee", "Eve", "Cal", "Bea"]),
        ("?sort=-checklist", ["Bea", "Cal", "Eve", "Dee"]),
        ("?sort=-submission", ["Bea", "Cal", "Dee", "Eve"]),
        ("?sort=submission", ["Dee", "Eve", "Cal", "Bea"]),
        ("?checklist=met", ["Bea"]),
        ("?checklist=unmet", ["Cal", "Eve"]),
        ("?submission=none", ["Dee", "Eve"]),
        ("?submission=changes_requested", ["Cal"]),
        ("?q=ev", ["Eve"]),
        ("?q=example.org&sort=-name&checklist=unmet", ["Eve", "Cal"]),
        ("?sort=nonsense", ["Bea", "Cal", "Dee", "Eve"]),
    ],
)
def test_sorting_and_filtering(query, expected, cohort_of_four, programme_leader, client_for):
    cohort, year = cohort_of_four
    if year.start == timezone.localdate():
        expected = FIRST_DAY_TIE.get(query, expected)

    response = client_for(programme_leader).get(overview_url(cohort, query))

    assert [row.student.display_name for row in rows_of(response)] == expected
    assert response.context["overview"].total == 4


def test_sort_headings_say_how_the_table_is_sorted(cohort_of_four, programme_leader, client_for):
    cohort, _ = cohort_of_four

    content = client_for(programme_leader).get(overview_url(cohort, "?sort=-hours")).content
    content = content.decode()

    assert 'aria-sort="descending"><a href="?sort=hours">Hours</a>' in content
    assert 'aria-sort="none"><a href="?sort=name">Student</a>' in content


def test_htmx_gets_just_the_table(cohort_of_four, programme_leader, client_for):
    cohort, _ = cohort_of_four

    response = client_for(programme_leader).get(
        overview_url(cohort, "?checklist=met"), headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="students"')
    assert "<html" not in content
    assert "Bea" in content and "Cal" not in content


# --- Queries do not grow with the cohort -----------------------------------------------------


def grow(cohort, total: int, leader) -> None:
    """Add students until ``cohort`` has ``total``: each shares, with three entries in the
    year (two mapped to capabilities, one peer-reflected for every other student), and every
    third has a submission with two versions."""
    today = timezone.localdate()
    year = cpd_year_containing(today)
    start = Membership.objects.filter(cohort=cohort).count()
    numbers = range(start, total)
    users = User.objects.bulk_create(
        User(email=f"student{n}@example.org", display_name=f"Student {n:03d}") for n in numbers
    )
    memberships = Membership.objects.bulk_create(
        Membership(cohort=cohort, student=user) for user in users
    )
    entries = Entry.objects.bulk_create(
        Entry(
            owner=user,
            status=Status.COMPLETE,
            activity_type=ActivityType.WEBINAR,
            title=f"Entry {k} of {user.display_name}",
            occurred_on=today - dt.timedelta(days=k),
            duration_minutes=30 + k,
            what_happened="What happened.",
            what_learned=f"What I learned {k}.",
            impact="What I will do.",
            is_peer_reflected=k == 0 and n % 2 == 0,
            peer_learning="Talked." if k == 0 else "",
        )
        for n, user in zip(numbers, users, strict=True)
        for k in range(3)
        if year.contains(today - dt.timedelta(days=k))
    )
    capabilities = list(Capability.objects.order_by("pk")[:4])
    Entry.capabilities.through.objects.bulk_create(
        Entry.capabilities.through(entry_id=a.pk, capability_id=capabilities[i % 4].pk)
        for i, a in enumerate(entries)
        if i % 3
    )
    submissions = Submission.objects.bulk_create(
        Submission(membership=m, year=year.end.year)
        for n, m in zip(numbers, memberships, strict=True)
        if n % 3 == 0
    )
    Snapshot.objects.bulk_create(
        Snapshot(submission=s, number=number) for s in submissions for number in (1, 2)
    )
    recount_everyone()  # as after any bulk load of entries


PAGES = ["", "?sort=-checklist", "?submission=in_review&sort=last_entry", "?q=student+1"]


@pytest.mark.parametrize("query", PAGES)
@pytest.mark.usefixtures("rendered_afresh")  # built, not read from the cache
def test_queries_do_not_grow_with_the_cohort(
    query, programme_leader, client_for, django_assert_num_queries
):
    cohort = make_cohort(programme_leader, "A large programme")
    client = client_for(programme_leader)
    url = overview_url(cohort, query)
    grow(cohort, SMALL, programme_leader)
    client.get(url)  # warm up: the first request of a session may differ

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(cohort, LARGE, programme_leader)
    with django_assert_num_queries(len(small)):
        response = client.get(url)

    overview = response.context["overview"]
    assert overview.total == LARGE
    assert sum(row.entries for row in overview.rows) == sum(
        Entry.objects.filter(owner=row.student).count() for row in overview.rows
    )
    if not query:
        assert len(overview.rows) == LARGE
        assert sum(row.submission is not None for row in overview.rows) == LARGE // 3 == 100
    print(f"overview{query}: {len(small)} queries at {SMALL} and at {LARGE} students")
