"""Where many practitioners stand against the regulator's checklist at once, keyed by owner
id, in a fixed number of queries however many there are. Callers pass the complete entries
they may read (a cohort's shared entries, or everyone's own for their reminders), so this
module never decides who sees what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.cpd_year import CpdYear
from portfolio.models import EntryQuerySet
from portfolio.tallies import judged_from_entries, tallies_of, tally_checklist
from regulators.requirements import Checklist


def checklists_by_owner(
    complete_entries: EntryQuerySet, owner_ids: Iterable[int], year: CpdYear, today: dt.date
) -> dict[int, Checklist]:
    """Each owner's checklist from her tally of ``year`` (portfolio.tallies): one query
    however many owners, and the entries only for a tally that cannot say."""
    owner_ids = list(owner_ids)
    tallies = tallies_of(owner_ids, year)
    judged = judged_from_entries(tallies, complete_entries, year, today)
    return {
        owner: judged.get(owner) or tally_checklist(tallies.get(owner), year) for owner in owner_ids
    }
