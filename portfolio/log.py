"""The practitioner's log: their entries, filtered, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch

from core.cpd_year import CpdYear, cpd_year_containing

from .models import ActivityQuerySet, Capability

# Filters that map straight onto a lookup; search and the CPD year need their own methods.
_LOOKUPS = {
    "activity_type": "activity_type",
    "platform": "platform",
    "capability": "capabilities",
    "tag": "tags",
    "date_from": "occurred_on__gte",
    "date_to": "occurred_on__lte",
    "status": "status",
    "updated_since": "updated_at__gte",
}


def filter_log(activities: ActivityQuerySet, filters: dict[str, Any]) -> ActivityQuerySet:
    """Narrow ``activities`` by the valid filters of a LogFilterForm (or the API's
    ActivityFilter); unknown or empty filters are ignored, so a half-valid query still shows
    something useful."""
    if filters.get("q"):
        activities = activities.search(filters["q"])
    if filters.get("year"):
        activities = activities.in_year(filters["year"])
    lookups = {
        _LOOKUPS[name]: value for name, value in filters.items() if name in _LOOKUPS and value
    }
    return activities.filter(**lookups)


def years_with_entries(activities: ActivityQuerySet, today: dt.date) -> list[CpdYear]:
    """The CPD year containing ``today`` and every year that holds one of ``activities``
    (imports reach back years), newest first. Grouped by day, not month or calendar year,
    since a CPD year may start on any day."""
    days = activities.order_by().values_list("occurred_on", flat=True).distinct()
    years = {cpd_year_containing(day) for day in days} | {cpd_year_containing(today)}
    return sorted(years, key=lambda year: year.start, reverse=True)


def with_list_details(activities: ActivityQuerySet) -> ActivityQuerySet:
    """What a row of the log shows, fetched in a fixed number of queries however long it is.
    Newest first, said explicitly: Django drops Meta.ordering from aggregating queries."""
    return (
        activities.annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("-occurred_on", "-created_at", "-pk")
        .prefetch_related(
            Prefetch("capabilities", queryset=Capability.objects.only("code", "name")), "tags"
        )
    )


def with_detail_relations(activities: ActivityQuerySet) -> ActivityQuerySet:
    """What an entry's own page shows."""
    return activities.prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.select_related("framework")),
        "tags",
        "evidence",
    )
