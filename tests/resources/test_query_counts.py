"""Library, list, search and curation pages run the same number of queries for 10 items as
for 100: nothing is fetched per resource, per list item, per event or per suggestion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from portfolio.models import Capability
from resources.models import (
    CuratedList,
    CuratedListItem,
    Event,
    Publication,
    ReadingListEntry,
    Resource,
    ResourceTag,
    Suggestion,
)
from tests.resources.factories import LONDON

SMALL, LARGE = 10, 100
pytestmark = pytest.mark.usefixtures("rendered_afresh")  # built, not read from the cache


@dataclass
class Shelf:
    reader: User
    curator: User
    capabilities: list[Capability]
    tags: list[ResourceTag]
    curated_list: CuratedList


@pytest.fixture
def shelf(practitioner, admin) -> Shelf:
    capabilities = list(Capability.objects.order_by("pk")[:4])
    tags = ResourceTag.objects.bulk_create(ResourceTag(name=f"topic {n}") for n in range(4))
    curated_list = CuratedList.objects.create(
        title="Everything", slug="everything", status=Publication.PUBLISHED
    )
    return Shelf(practitioner, admin, capabilities, tags, curated_list)


def grow(shelf: Shelf, total: int) -> None:
    """Bring the library to ``total`` resources, each with 2 capabilities and 2 topics, on
    the list, half saved by the reader and a third with a broken link; and as many events
    and suggestions."""
    start = Resource.objects.count()
    numbers = range(start, total)
    new = Resource.objects.bulk_create(
        Resource(
            title=f"Supervision resource {n}",
            kind="blog",
            url=f"https://example.org/{n}",
            summary=f"Notes on supervision, part {n}.",
            link_failures=5 if n % 3 == 0 else 0,
        )
        for n in numbers
    )
    caps, tags = shelf.capabilities, shelf.tags
    Resource.capabilities.through.objects.bulk_create(
        Resource.capabilities.through(resource_id=r.pk, capability_id=caps[(n + k) % 4].pk)
        for n, r in zip(numbers, new, strict=True)
        for k in (0, 1)
    )
    Resource.tags.through.objects.bulk_create(
        Resource.tags.through(resource_id=r.pk, resourcetag_id=tags[(n + k) % 4].pk)
        for n, r in zip(numbers, new, strict=True)
        for k in (0, 2)
    )
    CuratedListItem.objects.bulk_create(
        CuratedListItem(curated_list=shelf.curated_list, resource=r, position=n, note=f"#{n}")
        for n, r in zip(numbers, new, strict=True)
    )
    ReadingListEntry.objects.bulk_create(
        ReadingListEntry(owner=shelf.reader, resource=r)
        for n, r in zip(numbers, new, strict=True)
        if n % 2 == 0
    )
    first = dt.datetime(2030, 1, 1, 20, tzinfo=LONDON)
    Event.objects.bulk_create(
        Event(
            title=f"Chat {n}",
            kind="live_chat",
            starts_at=first + dt.timedelta(days=n),
            ends_at=first + dt.timedelta(days=n, hours=1),
            recurrence="weekly" if n % 2 else "none",
        )
        for n in numbers
    )
    Suggestion.objects.bulk_create(
        Suggestion(owner=shelf.reader, url=f"https://example.org/s{n}", reason="Good.")
        for n in numbers
    )


@dataclass(frozen=True)
class Page:
    url: Callable[[Shelf], str]
    as_curator: bool = False


PAGES = {
    "library": Page(lambda s: reverse("resources:resource_list")),
    "library-page-2": Page(lambda s: reverse("resources:resource_list") + "?page=2"),
    "search": Page(lambda s: reverse("resources:resource_list") + "?q=supervision"),
    "filters": Page(
        lambda s: (
            reverse("resources:resource_list")
            + f"?capability={s.capabilities[0].pk}&tag={s.tags[0].pk}&kind=blog"
        )
    ),
    "list": Page(lambda s: s.curated_list.get_absolute_url()),
    "lists": Page(lambda s: reverse("resources:list_index")),
    "reading-list": Page(lambda s: reverse("resources:reading_list")),
    "my-suggestions": Page(lambda s: reverse("resources:suggestion_list")),
    "events": Page(lambda s: reverse("resources:event_list")),
    "events-feed": Page(lambda s: reverse("resources:events_feed")),
    "curation-resources": Page(lambda s: reverse("resources:curation_resources"), True),
    "curation-search": Page(
        lambda s: reverse("resources:curation_resources") + "?q=supervision", True
    ),
    "curation-list": Page(
        lambda s: reverse("resources:curation_list_edit", args=[s.curated_list.pk]), True
    ),
    "curation-suggestions": Page(lambda s: reverse("resources:curation_suggestions"), True),
    "curation-events": Page(lambda s: reverse("resources:curation_events"), True),
    "broken-links": Page(lambda s: reverse("resources:curation_broken_links"), True),
}


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_the_library(name, shelf, client_for, django_assert_num_queries):
    page = PAGES[name]
    client = client_for(shelf.curator if page.as_curator else shelf.reader)
    url = page.url(shelf)
    grow(shelf, SMALL)
    client.get(url)  # warm up: the first request of a session may differ

    small = count_queries(client, url)
    grow(shelf, LARGE)
    assert Resource.objects.count() == LARGE
    with django_assert_num_queries(small):
        response = client.get(url)

    assert response.status_code == 200
    print(f"{name}: {small} queries at {SMALL} and at {LARGE} items")


@pytest.mark.parametrize("name", ["library", "library-page-2", "search"])
def test_the_library_and_its_search_take_at_most_ten_queries(
    name, shelf, client_for, django_assert_max_num_queries
):
    client = client_for(shelf.reader)
    grow(shelf, LARGE)
    client.get(PAGES[name].url(shelf))  # warm up, as above

    with django_assert_max_num_queries(10):
        response = client.get(PAGES[name].url(shelf))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20


def test_the_check_catches_a_missing_prefetch(shelf, client_for, monkeypatch):
    """Control: without the cards' prefetching the count grows with the library, so the test
    above would notice."""
    from resources import views

    monkeypatch.setattr(views, "with_card_details", lambda resources, user: resources)
    client = client_for(shelf.reader)
    url = reverse("resources:resource_list")
    grow(shelf, SMALL)
    small = count_queries(client, url)

    grow(shelf, LARGE)

    assert count_queries(client, url) > small
