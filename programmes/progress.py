"""Where many practitioners stand against the regulator's checklist at once, keyed by owner
id, in a fixed number of queries however many there are. Callers pass the complete entries
they may read (a cohort's shared entries, or everyone's own for their reminders), so this
module never decides who sees what."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from core.cpd_year import CpdYear
from portfolio.checklist import Checklist, regulator_checklist
from portfolio.models import Entry, EntryQuerySet
from portfolio.tallies import COUNTED_FIELDS, is_current, tallies_of, tally_checklist


def checklists_by_owner(
    complete_entries: EntryQuerySet, owner_ids: Iterable[int], year: CpdYear, today: dt.date
) -> dict[int, Checklist]:
    """Each owner's checklist from her tally of ``year`` (portfolio.tallies): one query
    however many owners. An owner whose tally holds an entry dated after today is judged from
    ``complete_entries`` instead, as her dashboard judges her."""
    owner_ids = list(owner_ids)
    tallies = tallies_of(owner_ids, year)
    later = [owner for owner, tally in tallies.items() if not is_current(tally, today)]
    checklists = {owner: tally_checklist(tallies.get(owner), year) for owner in owner_ids}
    if later:
        entries: dict[int, list[Entry]] = defaultdict(list)
        for entry in complete_entries.filter(owner__in=later).only(*COUNTED_FIELDS).order_by():
            entries[entry.owner_id].append(entry)
        checklists.update(
            {owner: regulator_checklist(entries[owner], year, today) for owner in later}
        )
    return checklists
