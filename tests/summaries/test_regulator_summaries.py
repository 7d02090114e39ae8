"""Summaries follow the practitioner's regulator: her own registration period is offered first,
and a summary of it carries her regulator's checklist, with the pages its rules came from."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from core.periods import Period, add_months
from regulators.periods import period_containing, previous_period
from regulators.profiles import profile
from regulators.registrations import confirm, set_registration
from summaries.summaries import (
    build_summary_facts,
    generate_summary,
    request_summary,
    summary_input_hash,
)
from tests.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def registered(user, code: str, months_ago: int = 40):
    """Registered ``months_ago`` months ago: her current and previous periods."""
    today = timezone.localdate()
    registered_on = add_months(today, -months_ago)
    set_registration(user, code, registered_on, today)
    current = period_containing(profile(code), today, registered_on)
    return current, previous_period(profile(code), current, registered_on)


@pytest.mark.parametrize("page", ["summaries:list", "packs:list"])
def test_her_own_registration_period_is_offered_first_and_chosen(page, practitioner, client_for):
    current, previous = registered(practitioner, "scw")

    form = client_for(practitioner).get(reverse(page)).context["form"]

    assert list(form.presets)[:2] == ["registration_period", "previous_registration_period"]
    assert form.presets["registration_period"] == (
        f"Your registration period (Social Care Wales: {current.label})",
        Period(current.start, current.end),
    )
    assert form.presets["previous_registration_period"] == (
        f"Your previous registration period (Social Care Wales: {previous.label})",
        Period(previous.start, previous.end),
    )
    assert form["period"].value() == "registration_period"
    assert "current_year" in form.presets  # the CPD years are still there


def test_scotland_offers_her_declaration_year_and_none_before_her_first(practitioner, client_for):
    current, _ = registered(practitioner, "sssc", months_ago=3)

    form = client_for(practitioner).get(reverse("summaries:list")).context["form"]

    assert form.presets["registration_period"][0] == (
        f"Your declaration year (Scottish Social Services Council: {current.label})"
    )
    assert "previous_registration_period" not in form.presets


def test_social_work_england_offers_only_the_cpd_years(practitioner, client_for):
    set_registration(practitioner, "swe", None, timezone.localdate())

    form = client_for(practitioner).get(reverse("summaries:list")).context["form"]

    assert list(form.presets) == ["current_year", "previous_year", "last_two_years"]
    assert form["period"].value() == "current_year"


def test_a_summary_of_her_period_has_her_regulators_checklist(practitioner):
    current, _ = registered(practitioner, "scw")
    today = timezone.localdate()
    make_entry(practitioner, occurred_on=today)
    period = Period(current.start, current.end)

    (checklist,) = build_summary_facts(practitioner, period, today)["checklists"]

    assert checklist["regulator"] == "Social Care Wales"
    assert checklist["year"] == current.label
    assert [item["key"] for item in checklist["items"]] == [
        "record_kept",
        "discussed_with_manager",
        "renewal_confirmation",
        "dates_in_period",
    ]
    renewal = checklist["items"][2]
    assert renewal["source"].startswith("https://") and renewal["confirmed"] is False
    assert not checklist["met"]
    confirm(practitioner, "discussed_with_manager", today)
    confirm(practitioner, "renewal_confirmation", today)
    (checklist,) = build_summary_facts(practitioner, period, today)["checklists"]
    assert checklist["met"]


def test_a_summary_not_covering_her_period_states_no_rules(practitioner):
    registered(practitioner, "niscc")
    today = timezone.localdate()

    facts = build_summary_facts(practitioner, Period(today - dt.timedelta(days=30), today), today)

    assert facts["checklists"] == []


def test_the_summary_page_names_her_regulator_and_its_sources(
    practitioner, client_for, django_capture_on_commit_callbacks
):
    current, _ = registered(practitioner, "niscc")
    make_entry(practitioner, occurred_on=timezone.localdate(), duration_minutes=120)
    with django_capture_on_commit_callbacks():
        summary, _ = request_summary(practitioner, Period(current.start, current.end))
    generate_summary(summary.pk, last_try=True)
    summary.refresh_from_db()
    json.dumps(summary.facts)  # stored as JSON: nothing in it but JSON

    html = client_for(practitioner).get(summary.get_absolute_url()).content.decode()

    assert "Northern Ireland Social Care Council checklist" in html
    assert "90 hours of training and learning in this registration period" in html
    assert "2h of 90h: 88h to go." in html
    assert (
        'href="https://niscc.info/index.php/prtl-post-registration-training-and-learning"' in html
    )


def test_a_confirmation_or_a_new_regulator_makes_a_new_version(practitioner):
    current, _ = registered(practitioner, "scw")
    period = Period(current.start, current.end)
    before = summary_input_hash(practitioner, period)

    confirm(practitioner, "renewal_confirmation", timezone.localdate())
    confirmed = summary_input_hash(practitioner, period)
    registered(practitioner, "niscc")

    assert len({before, confirmed, summary_input_hash(practitioner, period)}) == 3
