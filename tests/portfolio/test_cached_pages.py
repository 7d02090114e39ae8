"""The log and the dashboard keep their content in the cache (core/fragments.py). Whatever
changes what they show, the next request shows it: each test reads the pages once (so they are
cached), makes one kind of change, then compares each page with the same page rendered from
scratch. And a page read again unchanged comes from the cache."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_containing
from imports.staging import confirm_import
from portfolio.models import Capability, Entry
from programmes.access import submission_for
from programmes.review import sign_off
from programmes.submissions import submit
from tests.api.conftest import api_for, secret_for  # noqa: F401 - fixtures
from tests.cached_pages import CACHED_SECONDS, assert_served_as_built, page_content
from tests.factories import make_entry
from tests.imports.staged import proposal, staged_batch
from tests.programmes.conftest import join, make_cohort

pytestmark = pytest.mark.calendar  # the pages show the year containing today

LOG = reverse("portfolio:entry_list")
DASHBOARD = reverse("portfolio:dashboard")


def _pages() -> list[str]:
    last_year = cpd_year_containing(timezone.localdate()).previous().slug
    return [
        LOG,
        f"{LOG}?status=complete",
        f"{LOG}?q=chat",
        f"{LOG}?tag=",
        DASHBOARD,
        f"{DASHBOARD}?year={last_year}",
    ]


def _read_all(client: Client) -> dict[str, str]:
    pages = {url: page_content(client.get(url)) for url in _pages()}
    for url in (LOG, f"{LOG}?q=chat"):
        pages[f"{url} (htmx)"] = page_content(client.get(url, headers={"HX-Request": "true"}))
    return pages


def assert_pages_are_current(client: Client, settings) -> None:
    assert_served_as_built(lambda: _read_all(client), settings)


@pytest.fixture
def client(practitioner, client_for, settings) -> Client:
    settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS
    make_entry(practitioner, title="A chat to start with", occurred_on=timezone.localdate())
    client = client_for(practitioner)
    _read_all(client)  # every page is cached before the change
    return client


def test_an_unchanged_page_comes_from_the_cache(
    client, practitioner, django_assert_max_num_queries
):
    for url in _pages():
        # What every page reads (the session, its user, the unread notifications): nothing
        # from her log.
        with django_assert_max_num_queries(3):
            client.get(url)


def test_a_page_cached_for_one_person_is_never_shown_to_another(
    client, other_practitioner, client_for
):
    make_entry(other_practitioner, title="Someone else's webinar")
    for url in _pages():
        assert "A chat to start with" not in page_content(client_for(other_practitioner).get(url))


def test_creating_editing_and_deleting_on_the_web_show_at_once(
    client,
    practitioner,
    settings,
    form_data,
):
    form_data["occurred_on"] = timezone.localdate().isoformat()
    assert client.post(reverse("portfolio:entry_create"), form_data).status_code == 302
    assert_pages_are_current(client, settings)
    assert "social media" in page_content(client.get(LOG))  # a new tag, among the filters too

    entry = Entry.objects.get(owner=practitioner, title=form_data["title"])
    edit = reverse("portfolio:entry_edit", args=[entry.pk])
    assert client.post(edit, {**form_data, "action": "draft", "title": "Now a draft"}).status_code
    assert_pages_are_current(client, settings)

    assert client.post(reverse("portfolio:entry_delete", args=[entry.pk])).status_code == 302
    assert_pages_are_current(client, settings)
    assert "Now a draft" not in page_content(client.get(DASHBOARD))


def test_the_api_shows_at_once(client, practitioner, settings, api_for):  # noqa: F811
    api = api_for(practitioner)
    body = {
        "status": "complete",
        "title": "Webinar on the Mental Capacity Act",
        "activity_type": "webinar",
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": 90,
        "what_happened": "Watched it with the team.",
        "what_learned": "How to record a capacity assessment.",
        "impact": "I record the decision-specific question first.",
        "capabilities": [Capability.objects.get(code="PCF5").pk],
    }
    assert api.post("/api/v1/activities/", body, format="json").status_code == 201
    assert_pages_are_current(client, settings)


def test_an_import_shows_at_once(client, practitioner, settings):
    year = cpd_year_containing(timezone.localdate())
    proposals = [proposal(n, occurred_on=year.start) for n in range(3)]
    proposals.append(proposal(9, occurred_on=year.previous().start, what_learned=""))  # a draft
    assert confirm_import(staged_batch(practitioner, proposals), today=timezone.localdate())
    assert_pages_are_current(client, settings)


def test_submitting_shows_at_once(client, practitioner, programme_leader, settings):
    membership = join(practitioner, make_cohort(programme_leader, "Cohort"))
    submit(membership, cpd_year_containing(timezone.localdate()))
    assert_pages_are_current(client, settings)


def test_a_sign_off_and_a_renamed_programme_show_at_once(
    client, practitioner, programme_leader, settings, django_capture_on_commit_callbacks
):
    membership = join(practitioner, make_cohort(programme_leader, "Cohort"))
    submission = submit(membership, cpd_year_containing(timezone.localdate()))
    sign_off(
        submission_for(programme_leader, submission.pk),
        programme_leader,
        name="Dr A Leader",
        role="Programme leader",
        signed_on=timezone.localdate(),
        statement="Meets the standard.",
        confirmed=True,
    )
    assert "Meets the standard." in page_content(client.get(DASHBOARD))
    assert_pages_are_current(client, settings)

    programme = membership.cohort.programme
    programme.name = "Social work MA (apprenticeship)"
    with django_capture_on_commit_callbacks(execute=True):
        programme.save()
    assert "Social work MA (apprenticeship)" in page_content(client.get(DASHBOARD))
    assert_pages_are_current(client, settings)


def test_a_new_day_shows_at_once(client, settings, time_machine):
    time_machine.shift(24 * 60 * 60)
    assert_pages_are_current(client, settings)


def test_renaming_a_capability_shows_at_once(client, settings, django_capture_on_commit_callbacks):
    """As the admin's framework page saves it: the model's save, in a transaction."""
    capability = Capability.objects.get(code="PCF5")
    capability.name = "Professional curiosity"
    with django_capture_on_commit_callbacks(execute=True):
        capability.save()

    assert "Professional curiosity" in page_content(client.get(DASHBOARD))
    assert_pages_are_current(client, settings)


def test_the_comparison_can_fail(client, practitioner, settings):
    """Control: a change made behind the domain's back (as no code of the portal makes one)
    leaves the cached pages showing what they showed, and the comparison above says so."""
    Entry.objects.filter(owner=practitioner).update(title="Renamed behind its back")
    with pytest.raises(AssertionError):
        assert_pages_are_current(client, settings)
    assert "Renamed behind its back" not in page_content(client.get(LOG))
