"""Each practitioner's yearly tallies (portfolio.tallies) match a count from scratch after every
kind of change a log goes through: the web form, the API, an import, deleting, moving an entry
to another year, finishing a draft and submitting the year for review."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_containing
from imports.staging import confirm_import
from portfolio.checklist import regulator_checklist
from portfolio.models import Capability, Entry, Status, YearTally
from portfolio.tallies import capability_counts, recount_everyone, tally_checklist
from programmes.submissions import submit
from tests.api.conftest import api_for, secret_for  # noqa: F401 - fixtures
from tests.factories import make_entry
from tests.imports.staged import proposal, staged_batch
from tests.programmes.conftest import join, make_cohort

pytestmark = pytest.mark.calendar  # the years entries fall in move with the day


def assert_tallies_match_the_log(owner) -> None:
    """Every tally of ``owner`` against her complete entries counted here, and no tally for a
    year without one."""
    today = timezone.localdate()
    complete = list(Entry.objects.filter(owner=owner, status=Status.COMPLETE))
    years = {cpd_year_containing(entry.occurred_on) for entry in complete}
    tallies = {t.year: t for t in YearTally.objects.filter(owner=owner)}
    assert sorted(tallies) == sorted(year.end.year for year in years)
    for year in years:
        entries = [e for e in complete if year.contains(e.occurred_on)]
        tally = tallies[year.end.year]
        assert tally.entries == len(entries)
        assert tally.minutes == sum(e.duration_minutes for e in entries)
        assert tally.last_entry == max(e.occurred_on for e in entries)
        assert tally_checklist(tally, year) == regulator_checklist(entries, year, today)
        links = Entry.capabilities.through.objects.filter(entry__in=entries)
        mapped = dict(links.values_list("capability").annotate(n=Count("pk")))
        assert capability_counts(tally) == mapped


@pytest.fixture
def year():
    return cpd_year_containing(timezone.localdate())


def test_the_web_form_keeps_tallies_through_create_edit_move_and_delete(
    practitioner,
    client_for,
    form_data,
    year,
):
    client = client_for(practitioner)
    form_data["occurred_on"] = timezone.localdate().isoformat()  # in this year on any day
    for title in ("First", "Second", "Second"):  # the third is a duplicate of the second
        assert client.post(reverse("portfolio:entry_create"), {**form_data, "title": title})
    assert_tallies_match_the_log(practitioner)
    tally = YearTally.objects.get(owner=practitioner, year=year.end.year)
    assert (tally.entries, tally.different_entries, tally.duplicates) == (3, 2, [["Second", 2]])

    moved = Entry.objects.filter(owner=practitioner, title="Second").first()
    last_year = year.previous().end.isoformat()
    response = client.post(
        reverse("portfolio:entry_edit", args=[moved.pk]),
        {**form_data, "title": "Moved", "occurred_on": last_year, "capabilities": []},
    )
    assert response.status_code == 302
    assert YearTally.objects.filter(owner=practitioner).count() == 2
    assert_tallies_match_the_log(practitioner)

    draft = Entry.objects.get(owner=practitioner, title="First")
    response = client.post(
        reverse("portfolio:entry_edit", args=[draft.pk]), {**form_data, "action": "draft"}
    )
    assert response.status_code == 302
    assert_tallies_match_the_log(practitioner)

    client.post(reverse("portfolio:entry_delete", args=[moved.pk]))
    assert not YearTally.objects.filter(owner=practitioner, year=year.previous().end.year)
    assert_tallies_match_the_log(practitioner)


def test_the_api_keeps_tallies(practitioner, api_for, year):  # noqa: F811
    api = api_for(practitioner)
    body = {
        "status": "complete",
        "title": "Webinar on the Mental Capacity Act",
        "activity_type": "webinar",
        "occurred_on": year.start.isoformat(),
        "duration_minutes": 90,
        "what_happened": "Watched it with the team.",
        "what_learned": "How to record a capacity assessment.",
        "impact": "I record the decision-specific question first.",
        "is_peer_reflected": True,
        "peer_role": "Supervisor",
        "peer_learning": "My supervisor showed me her notes.",
        "capabilities": [Capability.objects.get(code="PCF5").pk],
    }
    created = api.post("/api/v1/activities/", body, format="json")
    assert created.status_code == 201, created.json()
    assert_tallies_match_the_log(practitioner)
    assert YearTally.objects.get(owner=practitioner).peer_reflected == 1

    url = f"/api/v1/activities/{created.json()['id']}/"
    assert api.patch(url, {"duration_minutes": 30}, format="json").status_code == 200
    assert YearTally.objects.get(owner=practitioner).minutes == 30
    assert_tallies_match_the_log(practitioner)

    assert api.delete(url).status_code == 204
    assert not YearTally.objects.filter(owner=practitioner).exists()


def test_confirming_an_import_keeps_tallies(practitioner, year):
    make_entry(practitioner, occurred_on=year.start)
    proposals = [proposal(n, occurred_on=year.start) for n in range(5)]  # not after today
    proposals.append(proposal(9, occurred_on=year.previous().start, what_learned=""))  # a draft
    batch = staged_batch(practitioner, proposals)

    assert confirm_import(batch, today=timezone.localdate())

    assert YearTally.objects.get(owner=practitioner, year=year.end.year).entries == 6
    assert_tallies_match_the_log(practitioner)


def test_submitting_leaves_tallies_matching(practitioner, programme_leader, year):
    make_entry(practitioner, occurred_on=year.start, is_peer_reflected=True, peer_learning="Yes.")
    make_entry(practitioner, occurred_on=year.start)
    membership = join(practitioner, make_cohort(programme_leader, "Cohort"))
    submit(membership, year)
    assert_tallies_match_the_log(practitioner)


def test_recounting_everyone_gives_the_same_tallies(practitioner, other_practitioner, year):
    for owner in (practitioner, other_practitioner):
        make_entry(owner, occurred_on=year.start)
        make_entry(owner, occurred_on=year.previous().start)
    kept = sorted(YearTally.objects.values_list("owner", "year", "entries", "minutes"))

    assert recount_everyone() == 4

    assert sorted(YearTally.objects.values_list("owner", "year", "entries", "minutes")) == kept
    assert_tallies_match_the_log(practitioner)
    assert_tallies_match_the_log(other_practitioner)
