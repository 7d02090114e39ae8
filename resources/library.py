"""Finding resources: the library's search, and what a list of them shows. Its filters are in
filters.py."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Lower
from django.utils.functional import cached_property

from portfolio.models import Capability

from .models import SEARCH_CONFIG, ReadingListEntry, ResourceQuerySet

# A word in most of the library ("social") matches tens of thousands of resources, and ranking
# them reads every one of them. Past this many matches only the resources added most recently
# are ranked, and the page says so.
RANKED_MATCHES = 1000


def search_resources(
    resources: ResourceQuerySet, text: str, *, full_text: bool | None = None
) -> ResourceQuerySet:
    """The resources matching ``text``, best first.

    On PostgreSQL: full-text search over each resource's stored, weighted vector (found
    through its GIN index, ranked without parsing the texts again), so a title match ranks
    above a match in the summary; of RANKED_MATCHES or more matches, the RANKED_MATCHES
    added most recently. Elsewhere (SQLite on a laptop) every word must appear in
    the title or the text, and title matches come first."""
    if full_text is None:
        full_text = connection.vendor == "postgresql"
    if full_text:
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        matches = resources.filter(search_vector=query)
        if matches.order_by()[RANKED_MATCHES - 1 : RANKED_MATCHES].exists():
            newest = matches.order_by("-pk").values("pk")[:RANKED_MATCHES]
            matches = resources.filter(pk__in=newest)
        return matches.alias(rank=SearchRank(F("search_vector"), query)).order_by(
            "-rank", Lower("title"), "pk"
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


class CappedCountPaginator(Paginator):
    """Pages that count the results only ``look_ahead`` past the page asked for, so a page of
    a huge list or a search for a common word does not read every match to count them.
    ``count_is_capped`` says the count stopped there ("more than 1,000"); the pages up to
    there, and the next link, work as with a full count, and every later page counts ahead
    from itself, so all of them can be reached."""

    def __init__(self, object_list, per_page: int, *, look_ahead: int = 1000) -> None:
        super().__init__(object_list, per_page)
        self.look_ahead = look_ahead
        self.count_limit = look_ahead

    def get_page(self, number) -> Page:
        try:
            # Past the last page is the last page (Django's get_page); a page number in the
            # billions would only make a LIMIT no database can take.
            requested = min(max(int(number), 1), 10**6)
        except (TypeError, ValueError):
            requested = 1
        # At least to the end of the page asked for, so that a full page has a next one.
        self.count_limit = (requested - 1) * self.per_page + max(self.look_ahead, self.per_page)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        # Which rows make up the first count_limit + 1 does not matter: no ordering to rank.
        return self.object_list.order_by()[: self.count_limit + 1].count()

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.count_limit
