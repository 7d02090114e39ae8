import datetime as dt

import pytest

from portfolio.cpd_year import cpd_year_ending_in
from portfolio.dashboard import build_dashboard
from portfolio.models import ActivityType, Capability, Status
from tests.factories import make_activity

YEAR = cpd_year_ending_in(2026)
TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def entries(practitioner, other_practitioner):
    pcf5, pcf6, swe4 = (Capability.objects.get(code=c) for c in ("PCF5", "PCF6", "SWE4"))
    make_activity(
        practitioner,
        title="Chat",
        activity_type=ActivityType.LIVE_CHAT,
        occurred_on=dt.date(2025, 12, 1),
        duration_minutes=60,
        capabilities=[pcf5, swe4],
    )
    make_activity(
        practitioner,
        title="Blog",
        activity_type=ActivityType.BLOG_READ,
        occurred_on=dt.date(2025, 12, 20),
        duration_minutes=30,
        capabilities=[pcf5],
    )
    make_activity(
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
    make_activity(
        practitioner,
        title="Old",
        occurred_on=dt.date(2025, 11, 30),
        duration_minutes=600,
        capabilities=[pcf6],
    )
    make_activity(
        practitioner, title="Next", occurred_on=dt.date(2026, 12, 1), duration_minutes=600
    )
    make_activity(
        practitioner,
        title="Draft",
        status=Status.DRAFT,
        impact="",
        occurred_on=dt.date(2026, 3, 1),
        duration_minutes=600,
        capabilities=[pcf6],
    )
    make_activity(
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
    assert dashboard.draft_count == 1
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
    assert '<span class="stat">3</span> hours of CPD' in html
    assert "Theirs" not in html


@pytest.mark.parametrize("year", ["0", "1", "2", "2000", "10000", "²", "abc", "2025.5", ""])
def test_an_impossible_year_shows_the_current_one(practitioner, client_for, year):
    response = client_for(practitioner).get("/dashboard/", {"year": year})
    assert response.status_code == 200
    assert response.context["dashboard"].is_current


def test_an_earlier_year_can_be_chosen(practitioner, client_for):
    response = client_for(practitioner).get("/dashboard/", {"year": "2024"})
    assert response.context["dashboard"].year == cpd_year_ending_in(2024)
