"""A regulator's rules judged against what a practitioner recorded in one period: the
checklist her dashboard, her renewal sheet and her evidence pack show. Every item is one rule of
her regulator's profile, worded as the data file words it, with the page it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .profiles import RegulatorProfile, Rule, Source


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    met: bool
    detail: str
    source: Source | None = None

    def as_data(self) -> dict[str, object]:
        """As stored in a summary's JSON: the source by its address."""
        return {
            "key": self.key,
            "label": self.label,
            "met": self.met,
            "detail": self.detail,
            "source": self.source.url if self.source else "",
            "confirmed": self.source.confirmed if self.source else True,
        }


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def met(self) -> bool:
        return all(item.met for item in self.items)


@dataclass(frozen=True)
class Gap:
    start: dt.date  # the day after one entry
    end: dt.date  # the day before the next (or today)

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


@dataclass(frozen=True)
class PeriodCounts:
    """What the rules are judged on, counted from one practitioner's complete entries of one
    period (portfolio.checklist.checklist_counts and regulators.progress count it)."""

    different: int  # complete entries, identical ones counted once
    peer_reflected: int
    misdated: int  # outside the period, or not yet reached
    duplicates: list[tuple[str, int]]  # (title, copies) of each group of identical entries
    minutes: int = 0
    activity_types: int = 0
    elements_covered: frozenset[str] = frozenset()  # capability codes of the element framework
    elements: tuple[tuple[str, str], ...] = ()  # every (code, name) of that framework
    gaps: tuple[Gap, ...] = ()
    confirmed: frozenset[str] = frozenset()  # keys of the confirmation rules made this period
    credits: float = 0


def _plural(n: int | float, one: str, many: str) -> str:
    return f"{n:g} {one if n == 1 else many}"


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h {rest}m" if rest else f"{hours}h"


def _item(rule: Rule, counts: PeriodCounts, period_label: str, period_noun: str) -> ChecklistItem:
    minimum = rule.minimum or 0
    kind = rule.kind
    if kind == "pieces":
        met = counts.different >= minimum
        detail = (
            _plural(counts.different, "complete, different entry", "complete, different entries")
            + f" this {period_noun}."
        )
    elif kind == "peer_reflection":
        met = counts.peer_reflected >= minimum
        detail = (
            f"{_plural(counts.peer_reflected, 'peer-reflected entry', 'peer-reflected entries')}."
            if counts.peer_reflected
            else "Record what you learned from talking it through with a colleague, "
            "in supervision or in a team reflection."
        )
    elif kind == "dated_in_period":
        met = counts.misdated == 0
        detail = (
            f"From {period_label}, and not in the future."
            if met
            else f"{_plural(counts.misdated, 'entry is', 'entries are')} dated outside "
            f"{period_label} or in the future, and will not count."
        )
    elif kind == "no_duplicates":
        met = not counts.duplicates
        detail = (
            "Each entry is different."
            if met
            else "Identical: "
            + "; ".join(f"“{title}” ×{copies}" for title, copies in counts.duplicates)
            + ". Merge or delete the copies."
        )
    elif kind == "hours":
        met = counts.minutes >= minimum * 60
        left = max(int(minimum * 60) - counts.minutes, 0)
        detail = f"{_hours(counts.minutes)} of {minimum:g}h" + (
            f": {_hours(left)} to go." if left else "."
        )
    elif kind == "elements":
        missing = [name for code, name in counts.elements if code not in counts.elements_covered]
        met = bool(counts.elements) and not missing
        covered = len(counts.elements) - len(missing)
        detail = f"{covered} of {len(counts.elements)} covered" + (
            f"; still to cover: {', '.join(missing)}." if missing else "."
        )
    elif kind == "confirmation":
        met = rule.key in counts.confirmed
        detail = "Confirmed for this period." if met else f"Not yet confirmed: “{rule.statement}”"
    elif kind == "record_kept":
        met = counts.different > 0
        detail = (
            f"{_plural(counts.different, 'complete entry', 'complete entries')} in your record."
            if met
            else "Nothing recorded in this period yet."
        )
    elif kind == "no_gaps":
        met = not counts.gaps
        detail = (
            f"No gap of {rule.months} months or more."
            if met
            else "Explain these gaps, or fill them: "
            + "; ".join(gap.label for gap in counts.gaps)
            + "."
        )
    elif kind == "activity_types":
        met = counts.activity_types >= minimum
        detail = f"{_plural(counts.activity_types, 'type', 'types')} of activity so far."
    else:  # pragma: no cover - profiles.py refuses any other kind
        raise ValueError(kind)
    return ChecklistItem(rule.key, rule.label, met, detail, rule.source)


def judge(profile: RegulatorProfile, period_label: str, counts: PeriodCounts) -> Checklist:
    """The checklist of ``profile``'s requirements for a period described by ``period_label``
    ("1 December 2026 to 30 November 2027")."""
    noun = profile.cycle.period_name.split()[-1]  # "year", "period"
    return Checklist(
        items=[_item(rule, counts, period_label, noun) for rule in profile.requirements]
    )
