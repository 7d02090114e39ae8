"""Choosing a regulator on the profile, and the regulator page with its confirmations: who may
open what, every refusal in the practitioner's words, and nothing lost on the way."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Entry
from regulators.models import Confirmation, Registration
from regulators.periods import period_containing
from regulators.profiles import profile
from regulators.registrations import confirm, set_registration
from tests.factories import make_entry
from tests.programmes.conftest import join, make_cohort

PROFILE = reverse("accounts:profile")
REGULATOR = reverse("regulators:regulator")
NISCC = "Northern Ireland Social Care Council"


def _profile_post(**changes) -> dict[str, str]:
    return {
        "display_name": "Alex Morgan",
        "registration_number": "",
        "time_zone": "Europe/London",
        "regulator": "swe",
        "registered_on": "",
        **changes,
    }


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _words(response) -> str:
    """The page's text as read: tags dropped, white space folded."""
    words = " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())
    return re.sub(r" ([.,:;])", r"\1", words)


def _registered_long_ago(user, code: str) -> dt.date:
    today = timezone.localdate()
    set_registration(user, code, dt.date(2020, 3, 15), today)
    return today


# --- The profile's "Your regulator" ---------------------------------------------------------


@pytest.mark.calendar
def test_choosing_a_regulator_and_date_saves_them_and_shows_the_period(practitioner, client_for):
    client = client_for(practitioner)
    response = client.post(PROFILE, _profile_post(regulator="niscc", registered_on="2020-03-15"))
    assert response.status_code == 302
    row = Registration.objects.get(owner=practitioner)
    assert (row.regulator, row.registered_on) == ("niscc", dt.date(2020, 3, 15))

    today = timezone.localdate()
    period = period_containing(profile("niscc"), today, dt.date(2020, 3, 15))
    response = client.get(PROFILE)
    assert f"Your registration period: {period.label}." in _words(response)
    assert f"complete it by {period.due_on:%-d %B %Y}" in _words(response)
    assert '<option value="niscc" selected>' in _text(response)


def test_the_form_offers_the_five_regulators(practitioner, client_for):
    page = _text(client_for(practitioner).get(PROFILE))
    for code in ("swe", "scw", "sssc", "niscc", "hcpc"):
        assert f'<option value="{code}"' in page
    assert "Your Social Work England registration number" not in page
    assert "The number your regulator registered you under" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"regulator": "gmc"}, "Choose one of the regulators listed."),
        ({"regulator": ""}, "Choose one of the regulators listed."),
        (
            {"regulator": "niscc"},
            f"{NISCC}'s registration period runs from your date of first registration: "
            "enter it to see your dates.",
        ),
        (
            {"regulator": "sssc", "registered_on": "2100-01-01"},
            "Your date of first registration cannot be after today.",
        ),
        (
            {"regulator": "scw", "registered_on": "1890-01-01"},
            "Check the year of your date of first registration.",
        ),
        ({"regulator": "scw", "registered_on": "31/02/2020"}, "Enter a real date"),
        ({"registration_number": "123-abc"}, "Enter your registration number as it is"),
    ],
)
def test_each_refusal_is_shown_and_nothing_is_saved_or_lost(
    practitioner, client_for, changes, message
):
    response = client_for(practitioner).post(
        PROFILE, _profile_post(display_name="Alex Changed", employer="Loughside Trust", **changes)
    )
    assert response.status_code == 200
    page = _text(response)
    assert message in page
    assert 'value="Loughside Trust"' in page  # what was typed is still in the form
    practitioner.refresh_from_db()
    assert practitioner.display_name == "Alex Morgan"
    assert not Registration.objects.filter(owner=practitioner).exists()


@pytest.mark.parametrize(
    ("field", "other", "message"),
    [
        ("regulator", {"registered_on": "2020-03-15"}, "Choose one of the regulators listed."),
        ("registered_on", {"regulator": "niscc"}, "Enter a real date"),
    ],
)
def test_hostile_input_is_refused_and_escaped(practitioner, client_for, field, other, message):
    hostile = '<script>alert("x")</script>'
    response = client_for(practitioner).post(PROFILE, _profile_post(**{**other, field: hostile}))
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert message in _text(response)
    assert not Registration.objects.filter(owner=practitioner).exists()


def test_digits_only_registration_numbers_are_accepted(practitioner, client_for):
    response = client_for(practitioner).post(
        PROFILE,
        _profile_post(regulator="niscc", registered_on="2020-03-15", registration_number="7001234"),
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.registration_number == "7001234"


@pytest.mark.calendar
def test_changing_regulator_through_the_form_deletes_nothing(practitioner, client_for):
    today = _registered_long_ago(practitioner, "niscc")
    make_entry(practitioner, title="Belfast workshop", occurred_on=today)
    confirm(practitioner, "learning_plan", today)
    client = client_for(practitioner)

    for code in ("scw", "swe", "sssc", "niscc"):
        response = client.post(PROFILE, _profile_post(regulator=code, registered_on="2020-03-15"))
        assert response.status_code == 302
        assert Registration.objects.get(owner=practitioner).regulator == code
        assert Entry.objects.filter(owner=practitioner, title="Belfast workshop").exists()
        assert Confirmation.objects.filter(owner=practitioner, rule="learning_plan").exists()
    # Back with NISCC, the learning plan confirmed before counts again.
    assert "Confirmed" in _text(client.get(REGULATOR))


# --- The regulator page ---------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client):
    for response in (
        client.get(REGULATOR),
        client.post(reverse("regulators:confirm", args=["learning_plan"])),
        client.post(reverse("regulators:withdraw", args=["learning_plan"])),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.calendar
def test_the_page_states_every_rule_with_its_source_and_marks_the_unconfirmed(
    practitioner, client_for
):
    _registered_long_ago(practitioner, "niscc")
    page = _text(client_for(practitioner).get(REGULATOR))
    niscc = profile("niscc")
    assert f"Your regulator: {NISCC}" in page
    for rule in niscc.rules:
        assert rule.label in page
        assert f'href="{rule.source.url}"' in page
    for fact in niscc.facts:
        assert fact.text in page
    for field in niscc.record_fields:
        assert field.asks in page
    for item in niscc.unconfirmed:
        assert item in page
    assert f"Not confirmed on {NISCC}'s own pages" in page
    assert "What the portal could not confirm on" in page


def test_a_regulator_whose_pages_confirmed_everything_says_so(practitioner, client_for):
    _registered_long_ago(practitioner, "sssc")
    page = _text(client_for(practitioner).get(REGULATOR))
    assert "Nothing: every rule and fact here was read on" in page
    assert "Not confirmed on" not in page


@pytest.mark.calendar
def test_confirming_and_withdrawing_for_the_current_period(practitioner, client_for):
    today = _registered_long_ago(practitioner, "scw")
    client = client_for(practitioner)
    period = period_containing(profile("scw"), today, dt.date(2020, 3, 15))

    response = client.post(reverse("regulators:confirm", args=["discussed_with_manager"]))
    assert response.status_code == 302 and response.url == REGULATOR
    row = Confirmation.objects.get(owner=practitioner)
    assert (row.rule, row.period_start, row.period_end) == (
        "discussed_with_manager",
        period.start,
        period.end,
    )
    page = _text(client.get(REGULATOR))
    assert "Confirmed for this period" in page  # the message
    assert "Withdraw: Discuss your CPD regularly with your manager" in page

    response = client.post(reverse("regulators:withdraw", args=["discussed_with_manager"]))
    assert response.status_code == 302
    assert not Confirmation.objects.exists()
    assert "Your confirmation is withdrawn." in _text(client.get(REGULATOR))


@pytest.mark.calendar
def test_a_rule_the_regulator_does_not_ask_is_refused(practitioner, client_for):
    _registered_long_ago(practitioner, "scw")
    client = client_for(practitioner)
    client.post(reverse("regulators:confirm", args=["learning_plan"]))  # NISCC's, not Wales's
    assert not Confirmation.objects.exists()
    assert "Social Care Wales asks for no such confirmation." in _text(client.get(REGULATOR))
    client.post(reverse("regulators:withdraw", args=["learning_plan"]))
    assert "There was no confirmation to withdraw" in _text(client.get(REGULATOR))


def test_confirming_needs_a_post(practitioner, client_for):
    response = client_for(practitioner).get(reverse("regulators:confirm", args=["learning_plan"]))
    assert response.status_code == 405


@pytest.mark.calendar
@pytest.mark.parametrize("consent", [True, False])
def test_others_see_only_their_own_regulator_and_confirm_nothing_of_hers(
    practitioner, other_practitioner, programme_leader, client_for, consent
):
    """The pages name nobody: another practitioner, or a leader the student shares her year
    with (or not), gets their own regulator (Social Work England, no row) and can touch
    nothing of hers."""
    today = _registered_long_ago(practitioner, "niscc")
    confirm(practitioner, "learning_plan", today)
    join(practitioner, make_cohort(programme_leader, "PQ"), today.year if consent else None)

    for viewer in (other_practitioner, programme_leader):
        client = client_for(viewer)
        page = _text(client.get(REGULATOR))
        assert "Your regulator: Social Work England" in page
        assert NISCC not in page
        client.post(reverse("regulators:withdraw", args=["learning_plan"]))
        client.post(reverse("regulators:confirm", args=["learning_plan"]))
    assert Confirmation.objects.get().owner == practitioner
    assert not Registration.objects.exclude(owner=practitioner).exists()
