"""Builders for library data: real rows, saved, with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from resources.curation import add_to_list
from resources.models import (
    CuratedList,
    Event,
    EventKind,
    Publication,
    Recurrence,
    Resource,
    ResourceKind,
    Suggestion,
)

_sequence = itertools.count(1)
LONDON = ZoneInfo("Europe/London")


def make_resource(**fields) -> Resource:
    n = next(_sequence)
    values = {
        "title": f"Resource {n}",
        "kind": ResourceKind.BLOG,
        "url": f"https://example.org/resource-{n}",
        "summary": f"A useful resource, number {n}.",
    }
    capabilities = fields.pop("capabilities", [])
    tags = fields.pop("tags", [])
    values.update(fields)
    resource = Resource.objects.create(**values)
    resource.capabilities.set(capabilities)
    resource.tags.set(tags)
    return resource


def make_list(resources=(), **fields) -> CuratedList:
    n = next(_sequence)
    # Published unless a test says otherwise: most tests are about a list practitioners see.
    values = {
        "title": f"List {n}",
        "slug": f"list-{n}",
        "introduction": "Where to start.",
        "status": Publication.PUBLISHED,
    }
    values.update(fields)
    curated_list = CuratedList.objects.create(**values)
    for resource in resources:
        add_to_list(curated_list, resource, f"Why {resource.title} is here.")
    return curated_list


def make_event(start: dt.datetime | None = None, minutes: int = 60, **fields) -> Event:
    start = start or dt.datetime(2030, 1, 8, 20, 0, tzinfo=LONDON)
    values = {
        "title": f"Event {next(_sequence)}",
        "kind": EventKind.LIVE_CHAT,
        "hashtag": "SWSCmedia",
        "host": "SWSCmedia",
        "url": "https://example.org/chat",
        "starts_at": start,
        "ends_at": start + dt.timedelta(minutes=minutes),
        "time_zone": "Europe/London",
        "recurrence": Recurrence.NONE,
    }
    values.update(fields)
    return Event.objects.create(**values)


def make_suggestion(owner, **fields) -> Suggestion:
    n = next(_sequence)
    values = {
        "url": f"https://example.org/suggested-{n}",
        "title": f"Suggested {n}",
        "reason": "It helped me understand the Mental Capacity Act.",
    }
    values.update(fields)
    return Suggestion.objects.create(owner=owner, **values)
