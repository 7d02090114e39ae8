"""Where many practitioners stand against the regulator's checklist at once, keyed by owner
id, in a fixed number of queries however many there are. Callers pass
the complete entries they may read (a cohort's shared entries, or everyone's own for their
reminders), so this module never decides who sees what."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from core.cpd_year import CpdYear
from portfolio.checklist import Checklist, regulator_checklist
from portfolio.models import Entry, EntryQuerySet

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
