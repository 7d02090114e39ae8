"""The practitioner's log: the CPD years it spans, and what its list (newest first) and an
entry's page fetch. Its filters are in filters.py."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from core.cpd_year import CpdYear, cpd_year_containing

from .models import Capability, EntryQuerySet, Evidence


def years_with_entries(entries: EntryQuerySet, today: dt.date) -> list[CpdYear]:
    """The CPD year containing ``today`` and every year that holds one of ``entries``
    (imports reach back years), newest first. Grouped by day, not month or calendar year,
    since a CPD year may start on any day."""
    days = entries.order_by().values_list("occurred_on", flat=True).distinct()
    years = {cpd_year_containing(day) for day in days} | {cpd_year_containing(today)}
    return sorted(years, key=lambda year: year.start, reverse=True)


def with_list_details(entries: EntryQuerySet) -> EntryQuerySet:
    """What a row of the log shows, fetched in a fixed number of queries however long it is.
    Newest first, in the order of the entry_log_order index, with the id last so that pages
    never overlap. The files are counted by a subquery for each row shown, not by grouping
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
        .order_by("-occurred_on", "-created_at", "-pk")
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
