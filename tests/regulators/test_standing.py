"""Each regulator's rules judged on a practitioner's own entries and confirmations."""

import datetime as dt

import pytest
from django.utils import timezone

from portfolio.models import ActivityType, Capability
from portfolio.standing import standing_of
from regulators.models import Confirmation, Registration
from regulators.registrations import (
    RegistrationRefused,
    confirm,
    set_registration,
    withdraw_confirmation,
)
from tests.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _items(standing):
    return {item.key: item for item in standing.checklist.items}


def _registered(user, code, years_ago=1):
    today = timezone.localdate()
    registered_on = today.replace(year=today.year - years_ago, day=min(today.day, 28))
    set_registration(user, code, registered_on, today)
    return today


def test_northern_ireland_counts_hours_against_90_and_professional_in_practice_credits(
    practitioner,
):
    today = _registered(practitioner, "niscc")
    make_entry(practitioner, occurred_on=today, duration_minutes=89 * 60)
    make_entry(practitioner, occurred_on=today, duration_minutes=60)
    standing = standing_of(practitioner, today)
    assert _items(standing)["ninety_hours"].met
    assert _items(standing)["ninety_hours"].detail == "90h of 90h."
    # A complete entry has a reflection and its impact: 2 + 1 credits an hour
    assert standing.counts.credits == 90 * 3
    assert not _items(standing)["learning_plan"].met
    confirm(practitioner, "learning_plan", today)
    assert _items(standing_of(practitioner, today))["learning_plan"].met


def test_northern_ireland_short_of_90_hours_says_how_many_to_go(practitioner):
    today = _registered(practitioner, "niscc")
    make_entry(practitioner, occurred_on=today, duration_minutes=30)
    item = _items(standing_of(practitioner, today))["ninety_hours"]
    assert not item.met
    assert item.detail == "0h 30m of 90h: 89h 30m to go."


def test_scotland_covers_the_core_learning_elements_this_declaration_year(practitioner):
    today = _registered(practitioner, "sssc")
    elements = list(Capability.objects.filter(framework__slug="sssc-core-learning"))
    assert len(elements) == 3
    make_entry(practitioner, occurred_on=today, capabilities=elements[:2])
    item = _items(standing_of(practitioner, today))["core_learning_elements"]
    assert not item.met
    assert item.detail == f"2 of 3 covered; still to cover: {elements[2].name}."
    make_entry(practitioner, occurred_on=today, capabilities=elements[2:])
    assert _items(standing_of(practitioner, today))["core_learning_elements"].met


def test_wales_keeps_a_record_and_confirms_at_renewal(practitioner):
    today = _registered(practitioner, "scw")
    standing = standing_of(practitioner, today)
    assert not _items(standing)["record_kept"].met
    make_entry(practitioner, occurred_on=today)
    confirm(practitioner, "renewal_confirmation", today)
    confirm(practitioner, "discussed_with_manager", today)
    assert standing_of(practitioner, today).checklist.met


def test_hcpc_flags_a_gap_of_three_months(practitioner):
    today = _registered(practitioner, "hcpc", years_ago=1)
    period_start = standing_of(practitioner, today).period.start
    make_entry(practitioner, occurred_on=period_start, activity_type=ActivityType.COURSE)
    make_entry(practitioner, occurred_on=today, activity_type=ActivityType.READING)
    items = _items(standing_of(practitioner, today))
    assert items["mixture"].met
    assert not items["continuous_record"].met
    assert items["continuous_record"].detail.startswith("Explain these gaps")


def test_changing_regulator_deletes_nothing(practitioner):
    today = _registered(practitioner, "scw")
    entry = make_entry(practitioner, occurred_on=today)
    confirm(practitioner, "renewal_confirmation", today)
    registered_on = Registration.objects.get().registered_on
    set_registration(practitioner, "swe", None, today)
    assert Confirmation.objects.for_user(practitioner).count() == 1
    set_registration(practitioner, "scw", registered_on, today)
    assert practitioner.entries.filter(pk=entry.pk).exists()
    assert Confirmation.objects.for_user(practitioner).count() == 1
    assert _items(standing_of(practitioner, today))["renewal_confirmation"].met
    withdraw_confirmation(practitioner, "renewal_confirmation", today)
    assert not _items(standing_of(practitioner, today))["renewal_confirmation"].met


def test_a_per_person_regulator_needs_a_registration_date(practitioner):
    today = timezone.localdate()
    with pytest.raises(RegistrationRefused, match="date of first registration"):
        set_registration(practitioner, "niscc", None, today)
    with pytest.raises(RegistrationRefused, match="after today"):
        set_registration(practitioner, "niscc", today + dt.timedelta(days=1), today)
    with pytest.raises(RegistrationRefused, match="Choose one"):
        set_registration(practitioner, "nmc", None, today)
    assert not Registration.objects.exists()


def test_without_a_registration_social_work_england_judges_the_year(practitioner):
    today = timezone.localdate()
    make_entry(practitioner, occurred_on=today, is_peer_reflected=True, peer_learning="We talked.")
    standing = standing_of(practitioner, today)
    assert standing.profile.code == "swe"
    assert not _items(standing)["two_entries"].met
    assert _items(standing)["peer_reflected"].met


def test_another_practitioners_confirmation_is_not_hers(practitioner, other_practitioner):
    today = _registered(practitioner, "scw")
    _registered(other_practitioner, "scw")
    confirm(other_practitioner, "renewal_confirmation", today)
    assert not _items(standing_of(practitioner, today))["renewal_confirmation"].met
