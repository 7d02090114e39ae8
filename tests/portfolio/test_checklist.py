import datetime as dt

import pytest

from core.cpd_year import cpd_year_ending_in
from portfolio.checklist import regulator_checklist
from portfolio.models import ActivityType, Entry

pytestmark = pytest.mark.calendar  # the checklist counts down to the year's deadline

YEAR = cpd_year_ending_in(2026)
TODAY = dt.date(2026, 11, 30)


def entry(title="Supervision on risk", day=dt.date(2026, 5, 1), peer=False, **fields) -> Entry:
    values = {
        "title": title,
        "activity_type": ActivityType.PEER_DISCUSSION,
        "occurred_on": day,
        "what_happened": f"{title}: what happened",
        "what_learned": "learned",
        "impact": "impact",
        "is_peer_reflected": peer,
        "peer_learning": "we discussed thresholds" if peer else "",
    }
    values.update(fields)
    return Entry(**values)


def items(entries, today=TODAY):
    return {i.key: i for i in regulator_checklist(entries, YEAR, today).items}


def test_empty_year_meets_nothing_but_dates_and_duplicates():
    result = items([])
    assert not result["two_entries"].met
    assert not result["peer_reflected"].met
    assert result["dates_in_year"].met
    assert result["no_duplicates"].met


def test_two_different_entries_one_peer_reflected_meets_everything():
    checklist = regulator_checklist([entry("Chat"), entry("Supervision", peer=True)], YEAR, TODAY)
    assert checklist.met
    assert [i.met for i in checklist.items] == [True, True, True, True]


def test_entry_dated_30_november_counts_and_1_december_does_not():
    inside = entry("Last day", day=dt.date(2026, 11, 30), peer=True)
    outside = entry("Next year", day=dt.date(2026, 12, 1))
    result = items([inside, outside], today=dt.date(2026, 12, 2))
    assert not result["two_entries"].met
    assert result["two_entries"].detail.startswith("1 complete, different entry")
    assert not result["dates_in_year"].met
    assert "1 entry is dated outside 1 December 2025 to 30 November 2026" in (
        result["dates_in_year"].detail
    )


def test_first_day_of_the_year_counts_and_the_day_before_does_not():
    result = items(
        [entry("First", day=dt.date(2025, 12, 1)), entry("Before", day=dt.date(2025, 11, 30))]
    )
    assert not result["two_entries"].met
    assert not result["dates_in_year"].met


def test_future_entry_is_not_counted():
    result = items(
        [entry("A"), entry("Future", day=dt.date(2026, 11, 25))], today=dt.date(2026, 11, 20)
    )
    assert not result["two_entries"].met
    assert not result["dates_in_year"].met


def test_identical_entries_count_once_and_are_named():
    first = entry("Same chat")
    copy = entry("  same   CHAT ", what_happened="Same chat: what   happened")
    result = items([first, copy])
    assert not result["no_duplicates"].met
    assert "“Same chat” ×2" in result["no_duplicates"].detail
    assert not result["two_entries"].met


def test_same_title_with_a_different_reflection_is_not_a_duplicate():
    result = items([entry("Team meeting"), entry("Team meeting", impact="something else")])
    assert result["no_duplicates"].met
    assert result["two_entries"].met


def test_peer_reflection_needs_the_discussion_written_down():
    result = items([entry("A", peer=True, peer_learning="   "), entry("B")])
    assert not result["peer_reflected"].met
