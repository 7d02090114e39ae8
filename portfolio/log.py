"""The practitioner's log: the CPD years it spans, and what its list (newest first) and an
entry's page fetch. Its filters are in filters.py."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from core.cpd_year import CpdYear, cpd_year_containing

from .models import Capability, EntryQuerySet, Evidence


def years_with_entries(entries: EntryQuerySet, today: dt.date) -> list[CpdYear]:
    """The CPD year containing ``today`` and every year that holds one of ``entries``
    (imports reach back years), newest first. Grouped by day, not month or calendar year,
    since a CPD year may start on any day."""
    days = entries.order_by().values_list("occurred_on", flat=True).distinct()
    years = {cpd_year_containing(day) for day in days} | {cpd_year_containing(today)}
    return sorted(years, key=lambda year: year.start, reverse=True)


# Newest first, in the order of the entry_log_order index, with the id last so that pages
# never overlap.
LOG_ORDER = ("-occurred_on", "-created_at", "-pk")


def with_list_details(entries: EntryQuerySet) -> EntryQuerySet:
    """What a row of the log shows, fetched in a fixed number of queries however long it is.
    In LOG_ORDER. The files are counted by a subquery for each row shown, not by grouping
    every row the filters let through; a count of the rows leaves it out."""
    files = (
        Evidence.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        entries.annotate(
            evidence_count=Coalesce(Subquery(files, output_field=IntegerField()), Value(0))
        )
        .order_by(*LOG_ORDER)
        .prefetch_related(
            Prefetch("capabilities", queryset=Capability.objects.only("code", "name")), "tags"
        )
    )


def with_detail_relations(entries: EntryQuerySet) -> EntryQuerySet:
    """What an entry's own page shows."""
    return entries.prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.select_related("framework")),
        "tags",
        "evidence",
    )


class SearchPaginator(Paginator):
    """Pages of a word search in the log. A search reads every one of the owner's entries to
    find its matches, and a page and a count would each read them all; here one pass collects
    the matching ids in order (their number is the count) and a page loads only its own rows,
    with what the list shows."""

    def __init__(self, entries: EntryQuerySet, per_page: int) -> None:
        self.entries = entries
        ids = entries.order_by(*LOG_ORDER).values_list("pk", flat=True)
        super().__init__(ids, per_page)

    @cached_property
    def count(self) -> int:
        self.object_list = list(self.object_list)
        return len(self.object_list)

    def page(self, number) -> Page:
        number = self.validate_number(number)  # counts, so object_list is the ids from here
        start = (number - 1) * self.per_page
        ids = self.object_list[start : start + self.per_page]
        rows = {entry.pk: entry for entry in with_list_details(self.entries.filter(pk__in=ids))}
        # An entry deleted between the two queries is left out of the page.
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
