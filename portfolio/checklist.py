"""Social Work England's CPD rules as a checklist a practitioner can watch turn green."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from core.cpd_year import CpdYear

from .models import Entry

MINIMUM_ENTRIES = 2


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def met(self) -> bool:
        return all(item.met for item in self.items)


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def entry_fingerprint(entry: Entry) -> tuple:
    """Two records with the same fingerprint are identical in the regulator's sense: same
    title, type, date and the same reflection, give or take case and spacing."""
    return (
        _normalised(entry.title),
        entry.activity_type,
        entry.occurred_on,
        _normalised(entry.what_happened),
        _normalised(entry.what_learned),
        _normalised(entry.impact),
    )


@dataclass(frozen=True)
class ChecklistCounts:
    """What the checklist is judged on: counted from the entries, or kept in a YearTally."""

    different: int  # complete entries, identical ones counted once
    peer_reflected: int
    misdated: int  # outside the year, or not yet reached
    duplicates: list[tuple[str, int]]  # (title, copies) of each group of identical entries


def checklist_counts(
    complete_entries: Sequence[Entry], year: CpdYear, today: dt.date
) -> ChecklistCounts:
    counted = [
        a for a in complete_entries if year.contains(a.occurred_on) and a.occurred_on <= today
    ]
    by_fingerprint: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in counted:
        by_fingerprint[entry_fingerprint(entry)].append(entry)
    return ChecklistCounts(
        different=len(by_fingerprint),
        peer_reflected=sum(1 for a in counted if a.is_peer_reflected and a.peer_learning.strip()),
        misdated=len(complete_entries) - len(counted),
        duplicates=[
            (group[0].title, len(group)) for group in by_fingerprint.values() if len(group) > 1
        ],
    )


def regulator_checklist(
    complete_entries: Sequence[Entry], year: CpdYear, today: dt.date
) -> Checklist:
    """Checks the complete entries a practitioner means to submit for ``year``."""
    return checklist_from_counts(checklist_counts(complete_entries, year, today), year)


def checklist_from_counts(counts: ChecklistCounts, year: CpdYear) -> Checklist:
    distinct, peers, misdated = counts.different, counts.peer_reflected, counts.misdated
    period = f"{year.start:%-d %B %Y} to {year.end:%-d %B %Y}"
    return Checklist(
        items=[
            ChecklistItem(
                "two_entries",
                f"At least {MINIMUM_ENTRIES} different pieces of CPD",
                distinct >= MINIMUM_ENTRIES,
                f"{distinct} complete, different "
                f"{'entry' if distinct == 1 else 'entries'} this year.",
            ),
            ChecklistItem(
                "peer_reflected",
                "At least one reflects on a discussion with a peer",
                bool(peers),
                f"{peers} peer-reflected {'entry' if peers == 1 else 'entries'}."
                if peers
                else "Record what you learned from talking it through with a colleague, "
                "in supervision or in a team reflection.",
            ),
            ChecklistItem(
                "dates_in_year",
                "Every entry is dated inside the registration year",
                misdated == 0,
                f"From {period}, and not in the future."
                if misdated == 0
                else f"{misdated} {'entry is' if misdated == 1 else 'entries are'} dated "
                f"outside {period} or in the future, and will not count.",
            ),
            ChecklistItem(
                "no_duplicates",
                "No two entries are identical",
                not counts.duplicates,
                "Each entry is different."
                if not counts.duplicates
                else "Identical: "
                + "; ".join(f"“{title}” ×{copies}" for title, copies in counts.duplicates)
                + ". Merge or delete the copies.",
            ),
        ]
    )
