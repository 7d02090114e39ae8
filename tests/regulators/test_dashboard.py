"""The dashboard follows the practitioner's regulator: its countdown around her own deadline,
its checklist with sources, and the figures its rules count. Social Work England's registrants
see the page they always saw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.periods import add_months
from portfolio.models import Capability, Entry, Status
from regulators.models import Registration
from regulators.periods import period_containing
from regulators.profiles import profile
from regulators.registrations import confirm, set_registration
from tests.cached_pages import CACHED_SECONDS, page_content
from tests.factories import make_entry
from tests.portfolio.test_query_counts import MOST_QUERIES_A_DASHBOARD
from tests.regulators.test_pages import _words

pytestmark = pytest.mark.calendar  # every expectation is relative to today

DASHBOARD = reverse("portfolio:dashboard")
NISCC = "Northern Ireland Social Care Council"


def _register(user, code: str, registered_on: dt.date | None = None) -> dt.date:
    today = timezone.localdate()
    set_registration(user, code, registered_on or add_months(today, -14), today)
    return today


@pytest.mark.usefixtures("rendered_afresh")
def test_northern_ireland_shows_hours_against_90_and_credits_not_confirmed_by_niscc(
    practitioner, client_for
):
    today = _register(practitioner, "niscc")
    make_entry(practitioner, occurred_on=today, duration_minutes=150)
    client = client_for(practitioner)
    response = client.get(DASHBOARD)
    words = _words(response)
    assert f"{NISCC} checklist" in words
    assert "2h 30m of 90h of training and learning over your registration period" in words
    assert '<progress id="regulator-hours" value="150" max="5400">' in response.content.decode()
    assert "7.5 Professional in Practice credits" in words  # 2.5h with impact: 3 an hour
    assert f"Not confirmed on {NISCC}'s own pages" in words
    assert "Social Work England checklist" not in words
    assert "A learning and development plan agreed with your employer" in words
    assert "Confirm it" in words

    confirm(practitioner, "learning_plan", today)
    words = _words(client.get(DASHBOARD))
    assert "Confirmed for this period." in words
    assert "Confirm it" not in words


@pytest.mark.usefixtures("rendered_afresh")
def test_scotland_shows_the_core_learning_elements_covered_this_declaration_year(
    practitioner, client_for
):
    today = _register(practitioner, "sssc")
    elements = list(
        Capability.objects.filter(framework__slug="sssc-core-learning").order_by("position")
    )
    make_entry(practitioner, occurred_on=today, capabilities=[elements[0]])
    response = client_for(practitioner).get(DASHBOARD)
    html = response.content.decode()
    words = _words(response)
    assert "Core learning elements this declaration year" in words
    assert f"Covered: {elements[0].name}" in words
    assert f"Not yet covered: {elements[1].name}" in words
    assert f"1 of {len(elements)} covered" in words
    # The SSSC's elements are in the coverage; Social Work England's standards are not.
    assert "SSSC core learning elements for social workers" in html
    assert "Social Work England professional standards" not in html


@pytest.mark.usefixtures("rendered_afresh")
def test_wales_shows_record_kept_and_the_confirmations_to_make(practitioner, client_for):
    today = _register(practitioner, "scw")
    make_entry(practitioner, occurred_on=today)
    words = _words(client_for(practitioner).get(DASHBOARD))
    assert "Met: Keep a record of your CPD 1 complete entry in your record." in words
    assert "Not met: Discuss your CPD regularly with your manager" in words
    assert words.count("Confirm it") == 2
    assert "Not met: Confirm at renewal that you have completed CPD" in words


@pytest.mark.usefixtures("rendered_afresh")
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_countdown_names_wales_deadline_around_today(practitioner, client_for, offset):
    """A registration date chosen so that the renewal is due yesterday, today or tomorrow."""
    today = timezone.localdate()
    wales = profile("scw")
    due_on = today + dt.timedelta(days=offset)
    registered_on = add_months(due_on + dt.timedelta(days=21), -36)
    _register(practitioner, "scw", registered_on)
    period = period_containing(wales, today, registered_on)
    words = _words(client_for(practitioner).get(DASHBOARD))

    if period.due_on != due_on:  # 29 February's anniversary clamps the renewal a day earlier
        assert period.due_on == due_on - dt.timedelta(days=1)
    if period.is_overdue(today):
        assert "Your renewal is overdue: it was due by" in words
        assert f"your registration period ends on {period.end:%-d %B %Y}" in words
    elif period.days_left(today) == 0:
        assert "Renewal due today: complete it by 23:59, 21 days before your renewal date." in words
        assert f"Your renewal opened on {period.opens_on:%-d %B %Y}." in words
    else:
        assert (
            f"Renewal due in 1 day: complete it by {period.due_on:%-d %B %Y}, "
            "21 days before your renewal date." in words
        )
    assert "until records are due" not in words


@pytest.mark.usefixtures("rendered_afresh")
def test_a_per_person_regulator_without_a_date_asks_for_it(practitioner, client_for):
    # As the admin could leave it: the profile form never saves this.
    Registration.objects.create(owner=practitioner, regulator="niscc", registered_on=None)
    response = client_for(practitioner).get(DASHBOARD)
    words = _words(response)
    assert "registration period runs from your date of first registration" in words
    assert f'href="{reverse("accounts:profile")}#id_registered_on"' in response.content.decode()


@pytest.mark.usefixtures("rendered_afresh")
def test_social_work_england_with_a_row_sees_the_page_as_without_one(practitioner, client_for):
    make_entry(practitioner, occurred_on=timezone.localdate(), is_peer_reflected=True)
    client = client_for(practitioner)
    without_row = page_content(client.get(DASHBOARD))
    set_registration(practitioner, "swe", None, timezone.localdate())
    assert page_content(client.get(DASHBOARD)) == without_row
    assert "Social Work England checklist" in without_row


def test_the_cached_dashboard_changes_with_the_regulator(practitioner, client_for, settings):
    settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS
    client = client_for(practitioner)
    assert "Social Work England checklist" in _words(client.get(DASHBOARD))
    _register(practitioner, "niscc")
    practitioner.refresh_from_db()
    words = _words(client.get(DASHBOARD))
    assert f"{NISCC} checklist" in words
    assert "until records are due" not in words


def _grow(owner, total: int, capabilities: list[Capability], today: dt.date) -> None:
    start = Entry.objects.filter(owner=owner).count()
    new = Entry.objects.bulk_create(
        Entry(
            owner=owner,
            status=Status.DRAFT if n % 4 == 0 else Status.COMPLETE,
            activity_type="webinar",
            title=f"Entry {n}",
            occurred_on=today - dt.timedelta(days=n % 300),
            duration_minutes=30 + n,
            what_happened="What happened.",
            what_learned="What I learned.",
            impact="What changes.",
        )
        for n in range(start, total)
    )
    Entry.capabilities.through.objects.bulk_create(
        Entry.capabilities.through(entry_id=entry.pk, capability_id=capabilities[n % 3].pk)
        for n, entry in enumerate(new)
    )


@pytest.mark.usefixtures("rendered_afresh")
@pytest.mark.parametrize("code", ["niscc", "sssc", "scw", "hcpc"])
def test_the_dashboard_costs_the_same_for_10_entries_as_for_300(practitioner, client_for, code):
    today = _register(practitioner, code, add_months(timezone.localdate(), -30))
    capabilities = list(Capability.objects.filter(framework__slug="sssc-core-learning"))
    client = client_for(practitioner)
    counts = []
    for total in (10, 300):
        _grow(practitioner, total, capabilities, today)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The panel reads her entries of the period, her confirmations, and an element framework's
    # elements and links: four more than Social Work England's page at most.
    assert counts[0] <= MOST_QUERIES_A_DASHBOARD + 4, counts
