"""Reflective summaries: the numbers against hand counts, gaps, coverage, the checklist with
impact statements, themes, the narrative, and generation that never duplicates."""

from __future__ import annotations

import datetime as dt
import re
import socket

import pytest

from core.models import WorkState
from core.periods import Period, add_months
from core.rendering import render_markdown
from imports.staging import confirm_import
from portfolio.models import ActivityType, Capability, Entry, Status
from summaries.forms import SummaryTextForm
from summaries.models import ReflectiveSummary
from summaries.summaries import (
    build_summary_facts,
    gaps_without_activity,
    generate_summary,
    request_nightly_summaries,
    request_summary,
    save_summary_text,
    tally,
)
from summaries.themes import recurring_themes
from tests.clock import london_moment
from tests.factories import make_entry
from tests.imports.staged import proposal, staged_batch
from tests.packs.conftest import PINNED, TODAY, YEAR

pytestmark = PINNED

TWO_YEARS = Period(dt.date(2024, 12, 1), dt.date(2026, 11, 30))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 1), 3, dt.date(2026, 4, 1)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
        (dt.date(2025, 12, 31), 2, dt.date(2026, 2, 28)),
        (dt.date(2026, 10, 15), 3, dt.date(2027, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        # 3 February to 20 July is more than three months; so is 20 July to today.
        (
            [dt.date(2025, 12, 9), dt.date(2026, 2, 3), dt.date(2026, 7, 20)],
            [(dt.date(2026, 2, 3), dt.date(2026, 7, 20)), (dt.date(2026, 7, 20), TODAY)],
        ),
        # Exactly three months is a gap; a day less is not.
        (
            [dt.date(2025, 12, 1), dt.date(2026, 3, 1), dt.date(2026, 5, 31), dt.date(2026, 8, 30)],
            # 30 August to today (21 November) is under three months.
            [(dt.date(2025, 12, 1), dt.date(2026, 3, 1))],
        ),
        # From the start of the period to the first entry counts too.
        (
            [
                dt.date(2026, 3, 2),
                dt.date(2026, 5, 1),
                dt.date(2026, 7, 1),
                dt.date(2026, 9, 1),
                dt.date(2026, 11, 1),
            ],
            [(YEAR.start, dt.date(2026, 3, 2))],
        ),
        # Nothing at all: one gap, up to today (the period has not ended).
        ([], [(YEAR.start, TODAY)]),
        # Entries outside the period are not counted.
        ([dt.date(2025, 6, 1), dt.date(2027, 1, 1)], [(YEAR.start, TODAY)]),
    ],
)
def test_gaps_of_three_months_or_more(dates, expected):
    gaps = gaps_without_activity(dates, YEAR, TODAY)
    assert [(g.start, g.end) for g in gaps] == expected


def test_gaps_end_at_the_period_end_when_it_is_past():
    period = Period(dt.date(2024, 12, 1), dt.date(2025, 11, 30))
    gaps = gaps_without_activity([dt.date(2025, 8, 1)], period, TODAY)
    assert [(g.start, g.end, g.days) for g in gaps] == [
        (dt.date(2024, 12, 1), dt.date(2025, 8, 1), 243),
        (dt.date(2025, 8, 1), dt.date(2025, 11, 30), 121),
    ]


@pytest.mark.parametrize(
    ("today", "judged_until"),
    [
        (dt.date(2025, 11, 30), None),  # the period has not begun
        (dt.date(2025, 12, 1), None),  # its first day
        (dt.date(2026, 2, 28), None),  # a day short of three months
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
        (dt.date(2027, 1, 5), YEAR.end),  # the period is over
    ],
)
def test_gaps_are_judged_only_on_days_that_have_passed(db, today, judged_until):
    facts = tally([], YEAR, today)

    assert facts["gaps_judged_until"] == (f"{judged_until:%-d %B %Y}" if judged_until else None)
    expected_gaps = [] if judged_until is None else [(YEAR.start, judged_until)]
    assert [(g.start, g.end) for g in gaps_without_activity([], YEAR, today)] == expected_gaps


def test_a_year_just_begun_claims_nothing_about_gaps(practitioner, portfolio):
    next_year = Period(dt.date(2026, 12, 1), dt.date(2027, 11, 30))
    make_entry(practitioner, occurred_on=dt.date(2026, 12, 1))

    facts = build_summary_facts(practitioner, next_year, dt.date(2026, 12, 1))

    assert facts["gaps"] == [] and facts["gaps_judged_until"] is None
    assert "I recorded no CPD" not in facts["narrative"]


@pytest.mark.time_machine(london_moment("2026-12-01T00:00:30"), tick=False)
def test_the_summary_page_says_it_is_too_early_to_judge_gaps(
    practitioner, client_for, django_capture_on_commit_callbacks
):
    make_entry(practitioner, occurred_on=dt.date(2026, 12, 1))
    with django_capture_on_commit_callbacks():
        summary, _ = request_summary(
            practitioner, Period(dt.date(2026, 12, 1), dt.date(2027, 11, 30))
        )
    generate_summary(summary.pk, last_try=True)

    html = client_for(practitioner).get(summary.get_absolute_url()).content.decode()

    assert "Too early to say: fewer than three months of this period have passed." in html
    assert "at least every three months" not in html


def test_numbers_match_a_hand_count(practitioner, other_practitioner, portfolio):
    make_entry(other_practitioner, occurred_on=dt.date(2026, 2, 3), duration_minutes=600)

    facts = build_summary_facts(practitioner, YEAR, TODAY)

    assert facts["entry_count"] == 3
    assert facts["total_minutes"] == 180
    assert [(r["label"], r["entries"], r["minutes"]) for r in facts["by_type"]] == [
        ("Peer discussion or supervision", 1, 90),
        ("Live chat joined", 1, 60),
        ("Blog post read", 1, 30),
    ]
    months = {r["month"]: (r["entries"], r["minutes"]) for r in facts["by_month"]}
    assert len(months) == 12
    assert months["2025-12"] == (1, 60)
    assert months["2026-02"] == (1, 90)
    assert months["2026-07"] == (1, 30)
    assert sum(e for e, _ in months.values()) == 3
    capabilities = {r["code"]: (r["entries"], r["minutes"]) for r in facts["by_capability"]}
    assert capabilities["PCF5"] == (2, 90)
    assert capabilities["PCF6"] == (1, 90)
    assert capabilities["SWE4"] == (1, 60)
    assert capabilities["PCF1"] == (0, 0)


def test_coverage_names_what_is_covered_and_what_is_not(practitioner, portfolio):
    coverage = {
        f["short_name"]: f for f in build_summary_facts(practitioner, YEAR, TODAY)["coverage"]
    }

    assert [c["code"] for c in coverage["PCF"]["covered"]] == ["PCF5", "PCF6"]
    assert [c["code"] for c in coverage["PCF"]["not_covered"]] == [
        "PCF1",
        "PCF2",
        "PCF3",
        "PCF4",
        "PCF7",
        "PCF8",
        "PCF9",
    ]
    assert [c["code"] for c in coverage["SWE"]["covered"]] == ["SWE4"]
    assert (
        coverage["SWE"]["capability_count"]
        == Capability.objects.filter(framework__short_name="SWE").count()
    )


def _items(checklist: dict) -> dict[str, bool]:
    return {item["key"]: item["met"] for item in checklist["items"]}


def test_checklist_is_met_by_the_portfolio(practitioner, portfolio):
    (checklist,) = build_summary_facts(practitioner, YEAR, TODAY)["checklists"]

    assert checklist["year"] == "2025–26"
    assert _items(checklist) == {
        "two_entries": True,
        "peer_reflected": True,
        "dates_in_year": True,
        "no_duplicates": True,
        "impact_statements": True,
    }
    assert checklist["met"]


def test_checklist_flags_duplicates(practitioner, portfolio):
    twin = {"title": "Twin", "occurred_on": dt.date(2026, 4, 4), "what_happened": "Same."}
    make_entry(practitioner, **twin)
    make_entry(practitioner, **twin)

    (checklist,) = build_summary_facts(practitioner, YEAR, TODAY)["checklists"]

    assert _items(checklist)["no_duplicates"] is False
    assert not checklist["met"]


def test_an_entry_without_an_impact_statement_stays_out_of_the_summary(practitioner, portfolio):
    # The database refuses it as complete (tests/core/test_database_rules.py); an import, the
    # one way in that does not ask the writer, brings it in as a draft, which no summary covers.
    untold = proposal(1, title="No impact here", impact="", occurred_on=dt.date(2026, 3, 3))
    confirm_import(staged_batch(practitioner, [untold]), today=TODAY)

    facts = build_summary_facts(practitioner, YEAR, TODAY)

    assert Entry.objects.get(title="No impact here").status == Status.DRAFT
    (checklist,) = facts["checklists"]
    assert _items(checklist)["impact_statements"] is True
    assert "No impact here" not in str(facts)


def test_checklist_names_brief_impact_statements_without_failing_them(practitioner, portfolio):
    make_entry(practitioner, title="Brief one", impact="Better notes.", occurred_on=YEAR.start)

    (checklist,) = build_summary_facts(practitioner, YEAR, TODAY)["checklists"]

    item = next(i for i in checklist["items"] if i["key"] == "impact_statements")
    assert item["met"]
    assert "brief in “brief one”" in item["detail"]  # a title mid-sentence: sentence case


def test_checklist_without_a_peer_reflection(practitioner):
    make_entry(practitioner, occurred_on=dt.date(2026, 1, 5))
    make_entry(practitioner, occurred_on=dt.date(2026, 2, 5))

    (checklist,) = build_summary_facts(practitioner, YEAR, TODAY)["checklists"]

    assert _items(checklist)["peer_reflected"] is False
    assert _items(checklist)["two_entries"] is True


def test_two_year_span_gets_a_checklist_per_cpd_year(practitioner, portfolio):
    facts = build_summary_facts(practitioner, TWO_YEARS, TODAY)

    assert [c["year"] for c in facts["checklists"]] == ["2024–25", "2025–26"]
    earlier, current = facts["checklists"]
    # Only "Last year's course" falls in 2024-25: one entry, no peer reflection.
    assert _items(earlier)["two_entries"] is False
    assert _items(earlier)["peer_reflected"] is False
    assert current["met"]
    assert facts["entry_count"] == 4


def test_themes_recur_across_entries_and_link_to_them(practitioner, portfolio):
    facts = build_summary_facts(practitioner, YEAR, TODAY)

    themes = {t["phrase"].lower(): {e["id"] for e in t["entries"]} for t in facts["themes"]}
    assert themes["strengths-based supervision"] == {portfolio.chat.pk, portfolio.supervision.pk}
    assert all(len(ids) >= 2 for ids in themes.values())
    # A single word is a theme only when it recurs in three entries or more.
    assert all(len(ids) >= 3 for phrase, ids in themes.items() if " " not in phrase)
    assert "record" not in themes  # in two entries only
    first = facts["themes"][0]["entries"][0]
    assert first["url"] == f"/activities/{first['id']}/"


def test_themes_need_no_network(practitioner, portfolio, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("keyword extraction tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    entries = [portfolio.chat, portfolio.supervision, portfolio.blog]

    assert next(t.phrase for t in recurring_themes(entries)) == "strengths-based supervision"


def test_narrative_is_an_audit_profile_in_the_practitioners_words(practitioner, portfolio):
    practitioner.specialism = "adult mental health"
    narrative = build_summary_facts(practitioner, YEAR, TODAY)["narrative"]

    assert narrative.startswith("# Summary of practice\n")
    assert "I am a registered social worker working in adult mental health." in narrative
    assert "I recorded 3 pieces of CPD, 3h in all" in narrative
    assert (
        "# How my learning improved my practice and benefited people who use services" in narrative
    )
    assert f"]({portfolio.supervision.get_absolute_url()})" in narrative
    assert f"“{portfolio.supervision.what_learned}”" in narrative
    assert f"“{portfolio.chat.impact}”" in narrative
    assert "Talking it through with a peer (team manager)" in narrative
    assert "between 3 February 2026 and 20 July 2026" in narrative
    assert portfolio.old.title not in narrative
    assert portfolio.draft.title not in narrative


# --- Requests, versions and editing --------------------------------------------------------


def test_same_inputs_return_the_same_version_and_queue_once(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first_callbacks:
        first, created = request_summary(practitioner, YEAR)
    with django_capture_on_commit_callbacks() as second_callbacks:
        again, created_again = request_summary(practitioner, YEAR)

    assert created and not created_again
    assert again.pk == first.pk
    assert (len(first_callbacks), len(second_callbacks)) == (1, 0)
    assert ReflectiveSummary.objects.count() == 1


def test_a_changed_entry_makes_a_new_version(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        first, _ = request_summary(practitioner, YEAR)
        portfolio.blog.impact = "Rewritten impact statement for the blog post."
        portfolio.blog.save()
        second, created = request_summary(practitioner, YEAR)
        other_period, _ = request_summary(practitioner, TWO_YEARS)

    assert created
    assert (first.version, second.version, other_period.version) == (1, 2, 1)
    assert first.input_hash != second.input_hash


def test_changes_outside_the_period_or_to_drafts_do_not(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        first, _ = request_summary(practitioner, YEAR)
        portfolio.old.title = "Renamed last year's course"
        portfolio.old.save()
        portfolio.draft.title = "Renamed draft"
        portfolio.draft.save()
        again, created = request_summary(practitioner, YEAR)

    assert not created
    assert again.pk == first.pk


def test_generation_fills_the_version_once(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        summary, _ = request_summary(practitioner, YEAR)

    assert generate_summary(summary.pk, last_try=True, today=TODAY)
    assert not generate_summary(summary.pk, last_try=True, today=TODAY)

    summary.refresh_from_db()
    assert summary.state == WorkState.DONE
    assert summary.attempts == 1
    assert summary.facts["entry_count"] == 3
    assert summary.text == summary.draft_text
    assert summary.text.startswith("# Summary of practice")
    assert "narrative" not in summary.facts


def test_editing_keeps_the_generated_draft(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        summary, _ = request_summary(practitioner, YEAR)
    generate_summary(summary.pk, last_try=True, today=TODAY)
    summary.refresh_from_db()
    draft = summary.draft_text

    save_summary_text(summary, "  My own words.  ")

    summary.refresh_from_db()
    assert summary.text == "My own words.\n"
    assert summary.draft_text == draft
    assert summary.edited_at is not None


def test_a_failed_summary_is_queued_again_when_asked_for(
    practitioner, portfolio, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks():
        summary, _ = request_summary(practitioner, YEAR)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("summaries.summaries.build_summary_facts", broken)
    with pytest.raises(RuntimeError):
        generate_summary(summary.pk, last_try=True, today=TODAY)
    summary.refresh_from_db()
    assert summary.state == WorkState.FAILED
    assert summary.error == (
        "We tried once and could not write this summary; "
        "the last error was: an unexpected error on our side."
    )

    with django_capture_on_commit_callbacks() as callbacks:
        again, created = request_summary(practitioner, YEAR)

    assert not created
    assert again.pk == summary.pk
    assert again.state == WorkState.QUEUED
    assert len(callbacks) == 1


def test_a_failure_before_the_last_try_gives_the_row_back_for_a_retry(
    practitioner, portfolio, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks():
        summary, _ = request_summary(practitioner, YEAR)
    monkeypatch.setattr(
        "summaries.summaries.build_summary_facts",
        lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")),
    )

    with pytest.raises(OSError, match="disk full"):
        generate_summary(summary.pk, last_try=False, today=TODAY)

    summary.refresh_from_db()
    assert (summary.state, summary.attempts) == (WorkState.QUEUED, 1)


def test_nightly_summaries_only_for_those_whose_entries_changed(
    practitioner, other_practitioner, portfolio, django_capture_on_commit_callbacks
):
    make_entry(other_practitioner, occurred_on=dt.date(2026, 1, 1))
    with django_capture_on_commit_callbacks():
        request_summary(practitioner, YEAR)
        request_summary(other_practitioner, YEAR)
        # Nothing changed since: nothing to do.
        assert request_nightly_summaries() == 0

        make_entry(
            practitioner,
            title="Webinar on the Care Act",
            activity_type=ActivityType.WEBINAR,
            occurred_on=dt.date(2026, 10, 1),
            status=Status.COMPLETE,
        )
        assert request_nightly_summaries() == 1
        assert request_nightly_summaries() == 0

    versions = ReflectiveSummary.objects.for_user(practitioner).order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert ReflectiveSummary.objects.for_user(other_practitioner).count() == 1


def test_the_narrative_sets_titles_and_the_specialism_in_sentence_case(practitioner):
    practitioner.specialism = "Adult mental health"
    practitioner.employer = "Leeds City Council"
    common = {"occurred_on": YEAR.start + dt.timedelta(days=10), "impact": "Clearer notes."}
    make_entry(practitioner, title="Reflective supervision on risk", **common)
    make_entry(practitioner, title="Care Act 2014 refresher", **common)
    make_entry(practitioner, title="X/Twitter chat on boundaries", **common)

    narrative = build_summary_facts(practitioner, YEAR, TODAY)["narrative"]

    assert "working in adult mental health at Leeds City Council." in narrative
    assert "In “[reflective supervision on risk](" in narrative
    assert "In “[Care Act 2014 refresher](" in narrative
    assert "In “[X/Twitter chat on boundaries](" in narrative


def test_the_edit_help_describes_the_format_the_draft_is_written_in(practitioner, portfolio):
    help_text = str(SummaryTextForm().fields["text"].help_text)
    narrative = build_summary_facts(practitioner, YEAR, TODAY)["narrative"]

    # The link the help describes is what the renderer makes a link of...
    [(words, address)] = re.findall(r"\[([^\]]+)\]\(([^)\s]+)\)", help_text)
    assert f'<a href="{address}" rel="noopener noreferrer nofollow">{words}</a>' in (
        render_markdown(f"[{words}]({address})")
    )
    # ...and every square bracket in the draft is such a link: none is a note to replace.
    assert narrative.count("[") == len(re.findall(r"\[[^\]]+\]\(/[^)\s]+\)", narrative)) > 0
    # The notes to replace are in the brackets the help names, and are shown as written.
    assert "Replace each note in {curly brackets} with your own words." in help_text
    assert "square brackets" not in help_text
    note = re.search(r"\{[^}]+\}", narrative)[0]
    assert note == "{Say why: leave, a change of role…}"
    assert note in render_markdown(narrative)
