"""The data file is the only place a rule comes from, and every fact in it names its page."""

import datetime as dt
from pathlib import Path

import pytest

from core.cpd_year import cpd_year_ending_in
from portfolio.checklist import checklist_from_counts
from regulators.profiles import DATA_FILE, ProfileDataError, load_profiles, profile, profiles
from regulators.requirements import PeriodCounts

EXPECTED = {"swe", "scw", "sssc", "niscc", "hcpc"}


def test_the_four_uk_regulators_and_the_hcpc_are_profiles():
    assert set(profiles()) == EXPECTED
    assert {p.nation for p in profiles().values()} >= {
        "England",
        "Wales",
        "Scotland",
        "Northern Ireland",
    }


def test_every_rule_fact_cycle_and_renewal_names_a_web_page():
    for regulator in profiles().values():
        sources = [regulator.cycle.source, regulator.renewal.source, regulator.record_fields_source]
        sources += [rule.source for rule in regulator.rules]
        sources += [fact.source for fact in regulator.facts]
        for source in sources:
            assert source.url.startswith("https://"), (regulator.code, source)
        assert regulator.checked_on >= dt.date(2026, 12, 1)


def test_what_could_not_be_confirmed_is_listed_per_regulator():
    assert "At least 2 different pieces of CPD" in profile("swe").unconfirmed
    assert any("Professional in Practice" in item for item in profile("niscc").unconfirmed)
    assert profile("sssc").unconfirmed == []


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "regulators.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rule_without_its_source_stops_the_file_loading(tmp_path):
    text = DATA_FILE.read_text(encoding="utf-8")
    broken = text.replace(
        'source = "https://niscc.info/index.php/prtl-post-registration-training-and-learning"\n'
        'confirmed = true\n\n[[regulator.rules]]\nkey = "learning_plan"',
        'confirmed = true\n\n[[regulator.rules]]\nkey = "learning_plan"',
        1,
    )
    assert broken != text
    with pytest.raises(ProfileDataError, match=r"ninety_hours.*no source"):
        load_profiles(_write(tmp_path, broken))


def test_an_unknown_kind_of_rule_is_refused(tmp_path):
    text = DATA_FILE.read_text(encoding="utf-8").replace('kind = "hours"', 'kind = "minutes"', 1)
    with pytest.raises(ProfileDataError, match="unknown kind 'minutes'"):
        load_profiles(_write(tmp_path, text))


def test_the_portal_years_checklist_states_only_social_work_englands_rules_from_the_file():
    counts = PeriodCounts(different=1, peer_reflected=0, misdated=0, duplicates=[])
    checklist = checklist_from_counts(counts, cpd_year_ending_in(2027))
    rules = {rule.key: rule for rule in profile("swe").requirements}
    assert [item.key for item in checklist.items] == list(rules)
    for item in checklist.items:
        assert item.label == rules[item.key].label
        assert item.source == rules[item.key].source


def test_credits_count_quarter_hours_and_need_a_reflection():
    from decimal import Decimal

    from regulators.credits import entry_credits

    rule = profile("niscc").rule("credits")
    assert entry_credits(rule, 60, "learnt", "") == Decimal(2)
    assert entry_credits(rule, 60, "learnt", "changed my practice") == Decimal(3)
    assert entry_credits(rule, 50, "learnt", "changed") == Decimal("2.25")
    assert entry_credits(rule, 600, "", "changed") == Decimal(0)
