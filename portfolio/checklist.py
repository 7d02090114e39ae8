"""The portal's CPD year judged by Social Work England's rules (regulators/data), as a
checklist a practitioner can watch turn green; and the counts every regulator's rules are
judged on."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from core.cpd_year import CpdYear
from regulators.profiles import DEFAULT_REGULATOR, profile
from regulators.requirements import Checklist, PeriodCounts, judge

from .models import Entry


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


def checklist_counts(
    complete_entries: Sequence[Entry], year: CpdYear, today: dt.date
) -> PeriodCounts:
    counted = [
        a for a in complete_entries if year.contains(a.occurred_on) and a.occurred_on <= today
    ]
    by_fingerprint: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in counted:
        by_fingerprint[entry_fingerprint(entry)].append(entry)
    return PeriodCounts(
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


def checklist_from_counts(counts: PeriodCounts, year: CpdYear) -> Checklist:
    """The checklist of the portal's CPD year: Social Work England's, whose year it is."""
    return judge(
        profile(DEFAULT_REGULATOR), f"{year.start:%-d %B %Y} to {year.end:%-d %B %Y}", counts
    )
