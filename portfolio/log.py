"""The practitioner's log: the CPD years it spans, and what its list (newest first) and an
entry's page fetch. Its filters are in filters.py."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch

from core.cpd_year import CpdYear, cpd_year_containing

from .models import Capability, EntryQuerySet


def years_with_entries(entries: EntryQuerySet, today: dt.date) -> list[CpdYear]:
    """The CPD year containing ``today`` and every year that holds one of ``entries``
    (imports reach back years), newest first. Grouped by day, not month or calendar year,
    since a CPD year may start on any day."""
    days = entries.order_by().values_list("occurred_on", flat=True).distinct()
    years = {cpd_year_containing(day) for day in days} | {cpd_year_containing(today)}
    return sorted(years, key=lambda year: year.start, reverse=True)


def with_list_details(entries: EntryQuerySet) -> EntryQuerySet:
    """What a row of the log shows, fetched in a fixed number of queries however long it is.
    Newest first, said explicitly: Django drops Meta.ordering from aggregating queries."""
    return (
        entries.annotate(evidence_count=Count("evidence", distinct=True))
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
