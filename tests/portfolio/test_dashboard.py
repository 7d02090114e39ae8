import datetime as dt

import pytest
from django.utils import timezone

from core.cpd_year import cpd_year_containing, cpd_year_ending_in
from portfolio.dashboard import build_dashboard
from portfolio.models import ActivityType, Capability, Entry, Status
from tests.clock import london_moment
from tests.factories import make_entry

YEAR = cpd_year_ending_in(2026)
TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def entries(practitioner, other_practitioner):
    pcf5, pcf6, swe4 = (Capability.objects.get(code=c) for c in ("PCF5", "PCF6", "SWE4"))
    make_entry(
        practitioner,
        title="Chat",
        activity_type=ActivityType.LIVE_CHAT,
        occurred_on=dt.date(2025, 12, 1),
        duration_minutes=60,
        capabilities=[pcf5, swe4],
    )
    make_entry(
        practitioner,
        title="Blog",
        activity_type=ActivityType.BLOG_READ,
        occurred_on=dt.date(2025, 12, 20),
        duration_minutes=30,
        capabilities=[pcf5],
    )
    make_entry(
        practitioner,
        title="Supervision",
        activity_type=ActivityType.PEER_DISCUSSION,
        occurred_on=dt.date(2026, 11, 20),
        duration_minutes=90,
        capabilities=[pcf6],
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning="thresholds",
    )
    # None of these may count: last year, next year, a draft, someone else's.
    make_entry(
        practitioner,
        title="Old",
        occurred_on=dt.date(2025, 11, 30),
        duration_minutes=600,
        capabilities=[pcf6],
    )
    make_entry(practitioner, title="Next", occurred_on=dt.date(2026, 12, 1), duration_minutes=600)
    make_entry(
        practitioner,
        title="Draft",
        status=Status.DRAFT,
        impact="",
        occurred_on=dt.date(2026, 3, 1),
        duration_minutes=600,
        capabilities=[pcf6],
    )
    make_entry(
        other_practitioner,
        title="Theirs",
        occurred_on=dt.date(2026, 3, 1),
        duration_minutes=600,
        capabilities=[pcf6],
    )


def test_numbers_match_a_hand_count(practitioner, entries):
    dashboard = build_dashboard(practitioner, YEAR, TODAY)
    assert dashboard.complete_count == 3
    assert dashboard.total_minutes == 180
    assert dashboard.year_drafts.count == 1
    assert [d.title for d in dashboard.drafts] == ["Draft"]
    assert [(b.label, b.minutes, b.share) for b in dashboard.by_type] == [
        ("Live chat joined", 60, 66.7),
        ("Blog post read", 30, 33.3),
        ("Peer discussion or supervision", 90, 100.0),
    ]
    months = {b.label: b.minutes for b in dashboard.by_month}
    assert len(months) == 12
    assert months["Dec 2025"] == 90
    assert months["Nov 2026"] == 90
    assert sum(months.values()) == 180
    assert dashboard.days_left == 9


def test_capability_coverage_counts_only_this_years_complete_entries(practitioner, entries):
    # An update moves a row to the end of PostgreSQL's heap: order must not depend on storage.
    Capability.objects.filter(code__in=["PCF1", "SWE1"]).update(description="revised")
    dashboard = build_dashboard(practitioner, YEAR, TODAY)
    counts = {c.capability.code: c.entries for f in dashboard.coverage for c in f.capabilities}
    assert counts["PCF5"] == 2
    assert counts["PCF6"] == 1
    assert counts["SWE4"] == 1
    assert counts["PCF1"] == 0
    pcf, swe = dashboard.coverage
    assert [c.capability.code for c in pcf.capabilities] == [f"PCF{n}" for n in range(1, 10)]
    assert [c.capability.code for c in swe.capabilities] == [f"SWE{n}" for n in range(1, 7)]
    assert (pcf.framework.short_name, pcf.covered, len(pcf.capabilities)) == ("PCF", 2, 9)
    assert (swe.framework.short_name, swe.covered, len(swe.capabilities)) == ("SWE", 1, 6)


def test_checklist_is_met_by_these_entries(practitioner, entries):
    assert build_dashboard(practitioner, YEAR, TODAY).checklist.met


def test_dashboard_page_shows_the_numbers(practitioner, entries, client_for):
    response = client_for(practitioner).get("/dashboard/?year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert "CPD year 2025–26" in html
    assert '<span class="stat">3</span> complete entries' in html
    assert '<span class="stat">3h</span> of CPD' in html
    assert "Theirs" not in html


@pytest.mark.parametrize("year", ["0", "1", "2", "2000", "10000", "²", "abc", "2025.5", ""])
def test_an_impossible_year_shows_the_current_one(practitioner, client_for, year):
    response = client_for(practitioner).get("/dashboard/", {"year": year})
    assert response.status_code == 200
    assert response.context["dashboard"].is_current


def test_an_earlier_year_can_be_chosen(practitioner, client_for):
    response = client_for(practitioner).get("/dashboard/", {"year": "2024"})
    assert response.context["dashboard"].year == cpd_year_ending_in(2024)


def draft(owner, title: str, day: dt.date):
    return make_entry(owner, title=title, status=Status.DRAFT, impact="", occurred_on=day)


def test_drafts_count_for_the_year_they_are_dated_in(practitioner, other_practitioner):
    draft(practitioner, "This year's", dt.date(2025, 12, 5))
    draft(practitioner, "Last year's", dt.date(2025, 6, 1))
    draft(practitioner, "From an old archive", dt.date(2011, 10, 20))
    draft(practitioner, "Also from it", dt.date(2011, 3, 2))
    draft(practitioner, "A webinar booked for next year", dt.date(2026, 12, 3))
    draft(other_practitioner, "Theirs", dt.date(2025, 6, 1))

    dashboard = build_dashboard(practitioner, YEAR, TODAY)

    assert [d.title for d in dashboard.drafts] == ["This year's"]
    assert dashboard.year_drafts.count == 1
    assert dashboard.year_drafts.days_left == 9
    assert not dashboard.year_drafts.deadline_passed
    assert [
        (d.year.label, d.count, d.deadline_passed, d.not_started) for d in dashboard.other_drafts
    ] == [
        ("2026–27", 1, False, True),
        ("2024–25", 1, True, False),
        ("2010–11", 2, True, False),
    ]


@pytest.mark.time_machine(london_moment("2026-12-01T00:00:30"), tick=False)
def test_on_the_first_day_last_years_drafts_are_past_their_deadline(practitioner, client_for):
    draft(practitioner, "Podcast on the Care Act, unfinished", dt.date(2026, 11, 30))
    make_entry(practitioner, title="Imported from 2011", occurred_on=dt.date(2011, 12, 1))

    response = client_for(practitioner).get("/dashboard/")

    dashboard = response.context["dashboard"]
    assert dashboard.year == cpd_year_ending_in(2027)
    assert (dashboard.complete_count, dashboard.year_drafts.count) == (0, 0)
    html = response.content.decode()
    assert '<span class="stat">0</span> drafts to finish' in html
    assert "1 draft from 2025–26" in html
    assert (
        "These can no longer count for 2025–26: its records were due by 23:59 on "
        "30 November 2026." in html
    )
    assert "Imported from 2011" not in html
    assert "<strong>364 days</strong> until records are due" in html


@pytest.mark.time_machine(london_moment("2027-11-30T23:59:30"), tick=False)
def test_on_the_last_day_drafts_can_still_be_finished_today(practitioner, client_for):
    draft(practitioner, "Team meeting on thresholds", dt.date(2027, 11, 30))

    html = client_for(practitioner).get("/dashboard/").content.decode()

    assert "<strong>Records are due today</strong>, by 23:59." in html
    assert "Team meeting on thresholds" in html
    assert "Today is the last day to finish these for 2026–27" in html


@pytest.mark.calendar
def test_the_dashboard_counts_the_current_years_work_on_any_day(practitioner, client_for):
    today = timezone.localdate()
    year = cpd_year_containing(today)
    make_entry(practitioner, title="Today's chat", occurred_on=today)
    draft(practitioner, "Today's draft", today)
    draft(practitioner, "Left over from last year", year.start - dt.timedelta(days=1))

    dashboard = client_for(practitioner).get("/dashboard/").context["dashboard"]

    assert dashboard.is_current and dashboard.year == year
    assert (dashboard.complete_count, dashboard.year_drafts.count) == (1, 1)
    assert [d.title for d in dashboard.drafts] == ["Today's draft"]
    (left_over,) = dashboard.other_drafts
    assert (left_over.year, left_over.deadline_passed) == (year.previous(), True)


def naive_coverage(owner, year) -> dict[str, int]:
    """Each capability's count of the owner's complete entries in ``year``, entry by entry,
    in the frameworks her regulator (Social Work England: no registration row) offers."""
    offered = Capability.objects.filter(framework__slug__in=["pcf", "swe-standards"])
    counts = {capability.code: 0 for capability in offered}
    for entry in Entry.objects.filter(owner=owner).prefetch_related("capabilities"):
        if entry.status == Status.COMPLETE and year.contains(entry.occurred_on):
            for capability in entry.capabilities.all():
                counts[capability.code] += 1
    return counts


@pytest.mark.parametrize("year", [cpd_year_ending_in(2025), YEAR, cpd_year_ending_in(2027)])
def test_capability_coverage_of_any_year_matches_a_count_entry_by_entry(
    practitioner, other_practitioner, year
):
    capabilities = list(Capability.objects.order_by("pk"))
    for n in range(40):  # over three years, some drafts, 0 to 3 capabilities; and another log
        for owner in (practitioner, other_practitioner):
            make_entry(
                owner,
                status=Status.DRAFT if n % 5 == 0 else Status.COMPLETE,
                occurred_on=dt.date(2024, 12, 1) + dt.timedelta(days=27 * n),
                capabilities=capabilities[n % 7 : n % 7 + n % 4],
            )

    dashboard = build_dashboard(practitioner, year, TODAY)

    counts = {c.capability.code: c.entries for f in dashboard.coverage for c in f.capabilities}
    assert counts == naive_coverage(practitioner, year)
    assert sum(counts.values()) > 0
