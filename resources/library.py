"""Finding resources: the library's search, and what a list of them shows. Its filters are in
filters.py."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Lower

from portfolio.models import Capability

from .models import SEARCH_CONFIG, SEARCH_VECTOR, ReadingListEntry, ResourceQuerySet


def search_resources(
    resources: ResourceQuerySet, text: str, *, full_text: bool | None = None
) -> ResourceQuerySet:
    """The resources matching ``text``, best first.

    On PostgreSQL: full-text search over the same weighted vector the GIN index holds, so a
    title match ranks above a match in the summary. Elsewhere (SQLite on a laptop) every word
    must appear in the title or the text, and title matches come first."""
    if full_text is None:
        full_text = connection.vendor == "postgresql"
    if full_text:
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            resources.annotate(search=SEARCH_VECTOR, rank=SearchRank(SEARCH_VECTOR, query))
            .filter(search=query)
            .order_by("-rank", Lower("title"), "pk")
        )
    words = text.split()
    for word in words:
        resources = resources.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(source__icontains=word)
            | Q(hashtag__icontains=word.lstrip("#"))
        )
    title_matches = Q(*(Q(title__icontains=word) for word in words))
    return resources.annotate(
        rank=Case(When(title_matches, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-rank", Lower("title"), "pk")


def with_saved_flag(resources: ResourceQuerySet, user) -> ResourceQuerySet:
    """Each resource with ``is_saved``: whether it is on ``user``'s reading list."""
    saved = ReadingListEntry.objects.for_user(user).filter(resource=OuterRef("pk"))
    return resources.annotate(is_saved=Exists(saved))


def with_card_details(resources: ResourceQuerySet, user) -> ResourceQuerySet:
    """What a resource's card shows, in a fixed number of queries however many there are:
    its capabilities and topics, and whether ``user`` has saved it."""
    return with_saved_flag(resources, user).prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.only("code", "name")), "tags"
    )
