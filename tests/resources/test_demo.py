"""The library's demo data: drawn from the seeds, real public links, always something to
join and something to log, and safe to load twice."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from portfolio.demo import load_demo_data
from resources.demo import DEMO_LISTS, DEMO_RESOURCES, load_library_demo
from resources.events import recent_sessions, upcoming_events
from resources.models import (
    CuratedList,
    CuratedListItem,
    Event,
    ReadingListEntry,
    Resource,
    Suggestion,
)

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def loaded(db):
    load_demo_data(TODAY)
    load_library_demo(TODAY)


def test_resources_come_from_the_seeds_with_real_public_links(loaded):
    titles = " ".join(Resource.objects.values_list("title", flat=True))
    for name in [
        "CareSpace",
        "Knowledge Hub",
        "#SWSCmedia",
        "#lgovsm",
        "BASW",
        "Social Work England",
    ]:
        assert name in titles
    for resource in Resource.objects.all():
        parts = urlsplit(resource.url)
        assert parts.scheme == "https", resource.url
        assert not parts.hostname.endswith(("example.org", "localhost")), resource.url
        resource.full_clean()
    assert Resource.objects.count() == len(DEMO_RESOURCES)
    assert all(r.capabilities.exists() for r in Resource.objects.all())


def test_lists_are_ordered_with_a_note_on_every_item(loaded):
    assert CuratedList.objects.count() == len(DEMO_LISTS)
    for curated_list in CuratedList.objects.all():
        items = list(curated_list.items.all())
        assert items, curated_list.title
        assert [i.position for i in items] == list(range(len(items)))
        assert all(i.note for i in items)


def test_there_is_a_session_to_log_and_one_to_look_forward_to(loaded):
    now = dt.datetime.combine(TODAY, dt.time(12), timezone.get_current_timezone())
    events = Event.objects.published()

    assert len(upcoming_events(events, now)) == events.count() == 4
    assert any(recent_sessions(event, now) for event in events)
    assert {e.hashtag for e in events} >= {"SWSCmedia", "lgovsm"}


def test_the_practitioner_has_a_reading_list_and_a_suggestion_waiting(loaded):
    assert ReadingListEntry.objects.count() == 2
    assert Suggestion.objects.pending().count() == 1


def test_loading_twice_changes_nothing(loaded):
    models = [Resource, CuratedList, CuratedListItem, Event, ReadingListEntry, Suggestion]
    counts = [m.objects.count() for m in models]

    load_library_demo(TODAY)
    load_library_demo(TODAY + dt.timedelta(days=40))

    assert [m.objects.count() for m in models] == counts
