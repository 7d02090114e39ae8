"""Where many practitioners stand at once, in a fixed number of queries however many there
are: the regulator's checklist and capability coverage, each keyed by owner id. Callers pass
the complete entries they may read (a cohort's shared entries, or everyone's own for their
reminders), so this module never decides who sees what."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count

from core.cpd_year import CpdYear
from portfolio.checklist import Checklist, regulator_checklist
from portfolio.dashboard import CapabilityCoverage, FrameworkCoverage
from portfolio.models import Capability, Entry, EntryQuerySet

# The fields the checklist reads; leaving the rest out keeps hundreds of owners cheap.
CHECKLIST_FIELDS = [
    "owner_id",
    "title",
    "activity_type",
    "occurred_on",
    "what_happened",
    "what_learned",
    "impact",
    "is_peer_reflected",
    "peer_learning",
]


def checklists_by_owner(
    complete_entries: EntryQuerySet, owner_ids: Iterable[int], year: CpdYear, today: dt.date
) -> dict[int, Checklist]:
    entries: dict[int, list[Entry]] = defaultdict(list)
    for entry in complete_entries.only(*CHECKLIST_FIELDS).order_by():
        entries[entry.owner_id].append(entry)
    return {owner: regulator_checklist(entries[owner], year, today) for owner in owner_ids}


def coverage_by_owner(
    complete_entries: EntryQuerySet, owner_ids: Iterable[int]
) -> dict[int, list[FrameworkCoverage]]:
    """Each owner's entries per capability, framework by framework, as the dashboard draws."""
    counts: Counter[tuple[int, int]] = Counter()
    links = (
        Entry.capabilities.through.objects.filter(entry__in=complete_entries)
        .values_list("entry__owner_id", "capability_id")
        .annotate(entries=Count("entry_id"))
        .order_by()
    )
    for owner_id, capability_id, entries in links:
        counts[(owner_id, capability_id)] = entries
    capabilities = list(Capability.objects.select_related("framework"))
    coverage = {}
    for owner in owner_ids:
        frameworks: dict[int, FrameworkCoverage] = {}
        for capability in capabilities:
            framework = frameworks.setdefault(
                capability.framework_id, FrameworkCoverage(capability.framework, [])
            )
            framework.capabilities.append(
                CapabilityCoverage(capability, counts[(owner, capability.pk)])
            )
        coverage[owner] = list(frameworks.values())
    return coverage
