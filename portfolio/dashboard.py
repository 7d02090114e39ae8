"""The numbers on a practitioner's dashboard for one CPD year, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from core.cpd_year import CpdYear, cpd_year_containing
from regulators.profiles import RegulatorProfile
from regulators.registrations import registration_of
from regulators.requirements import Checklist

from .models import ActivityType, Capability, Entry, Framework
from .regulator_panel import RegulatorPanel, regulator_panel
from .tallies import capability_counts, judged_from_entries, tallies_of, tally_checklist

DRAFTS_SHOWN = 8


@dataclass(frozen=True)
class Bar:
    label: str
    minutes: int
    share: float  # of the largest bar, 0 to 100, for drawing


@dataclass(frozen=True)
class CapabilityCoverage:
    capability: Capability
    entries: int

    @property
    def level(self) -> int:
        """0 to 3, for shading the coverage picture."""
        return min(self.entries, 3)


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: Framework
    capabilities: list[CapabilityCoverage]

    @property
    def covered(self) -> int:
        return sum(1 for c in self.capabilities if c.entries)


@dataclass(frozen=True)
class YearDrafts:
    """How many drafts are dated in one CPD year, and the fact that matters about them: a
    draft only ever counts for the year it is dated in, once finished before that year's
    deadline."""

    year: CpdYear
    count: int
    today: dt.date

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.year.end

    @property
    def not_started(self) -> bool:
        return self.today < self.year.start

    @property
    def days_left(self) -> int:
        return self.year.days_left(self.today)


@dataclass(frozen=True)
class Dashboard:
    year: CpdYear
    today: dt.date
    complete_count: int
    total_minutes: int
    by_type: list[Bar]
    by_month: list[Bar]
    coverage: list[FrameworkCoverage]
    drafts: list[Entry]  # the first few dated in the year shown
    year_drafts: YearDrafts
    other_drafts: list[YearDrafts]  # dated in any other year, newest year first
    checklist: Checklist  # the portal's CPD year, by Social Work England's rules
    regulator: RegulatorProfile
    regulator_panel: RegulatorPanel | None  # any other regulator's rules, for her own period

    @property
    def ready(self) -> bool:
        """Ready for her regulator's renewal (or declaration) by its checklist."""
        if self.regulator_panel is not None:
            return self.regulator_panel.ready
        return self.checklist.met

    @property
    def days_left(self) -> int:
        return self.year.days_left(self.today)

    @property
    def is_current(self) -> bool:
        return self.year.contains(self.today)


def _bars(minutes_by_label: list[tuple[str, int]]) -> list[Bar]:
    largest = max((m for _, m in minutes_by_label), default=0) or 1
    return [Bar(label, m, round(100 * m / largest, 1)) for label, m in minutes_by_label]


def drafts_by_year(drafts, today: dt.date) -> list[YearDrafts]:
    """``drafts`` counted by the CPD year they are dated in, newest year first: one query,
    grouped by date since a CPD year may start on any day of any month."""
    counts: Counter[CpdYear] = Counter()
    for row in drafts.values("occurred_on").annotate(n=Count("pk")).order_by():
        counts[cpd_year_containing(row["occurred_on"])] += row["n"]
    return [
        YearDrafts(year, counts[year], today)
        for year in sorted(counts, key=lambda y: y.start, reverse=True)
    ]


def capabilities_in_order() -> list[Capability]:
    """Every capability with its framework, as the coverage pictures draw them."""
    return list(
        Capability.objects.select_related("framework").order_by("framework__position", "position")
    )


def coverage_from_counts(
    counts: Mapping[int, int], capabilities: list[Capability]
) -> list[FrameworkCoverage]:
    """Every framework's capabilities (``capabilities_in_order``), each with its count of
    entries from ``counts`` ({capability id: entries})."""
    coverage: dict[int, FrameworkCoverage] = {}
    for capability in capabilities:
        framework = coverage.setdefault(
            capability.framework_id, FrameworkCoverage(capability.framework, [])
        )
        framework.capabilities.append(CapabilityCoverage(capability, counts.get(capability.pk, 0)))
    return list(coverage.values())


def coverage_for(
    coverage: list[FrameworkCoverage], regulator: RegulatorProfile
) -> list[FrameworkCoverage]:
    """The frameworks ``regulator``'s registrants map to, and any other her entries already
    link to (a link made under another regulator is kept, so it is still shown)."""
    return [f for f in coverage if f.framework.slug in regulator.frameworks or f.covered]


def build_dashboard(user, year: CpdYear, today: dt.date) -> Dashboard:
    """The totals, checklist and coverage come from the year's tally (portfolio.tallies), so
    a heavy user's dashboard costs what a light one's does; the bars are one grouped query."""
    entries = Entry.objects.for_user(user)
    complete = entries.complete().in_year(year)
    tallies = tallies_of([user.pk], year)
    tally = tallies.get(user.pk)

    minutes_by_type: Counter[str] = Counter()
    minutes_by_month: Counter[tuple[int, int]] = Counter()
    grouped = (
        complete.annotate(month=TruncMonth("occurred_on"))
        .values("activity_type", "month")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    for row in grouped:
        minutes_by_type[row["activity_type"]] += row["minutes"] or 0
        minutes_by_month[(row["month"].year, row["month"].month)] += row["minutes"] or 0

    by_type = _bars(
        [(t.label, minutes_by_type[t.value]) for t in ActivityType if minutes_by_type[t.value]]
    )
    by_month = _bars([(f"{m:%b %Y}", minutes_by_month[(m.year, m.month)]) for m in year.months()])

    judged = judged_from_entries(tallies, complete, year, today)
    checklist = judged.get(user.pk) or tally_checklist(tally, year)
    regulator, registered_on = registration_of(user)
    coverage = coverage_for(
        coverage_from_counts(capability_counts(tally), capabilities_in_order()), regulator
    )

    # Every draft counted by year in one query; the year shown is one of the counts.
    by_year = {counted.year: counted for counted in drafts_by_year(entries.drafts(), today)}
    year_drafts = by_year.pop(year, YearDrafts(year, 0, today))
    return Dashboard(
        year=year,
        today=today,
        complete_count=tally.entries if tally else 0,
        total_minutes=tally.minutes if tally else 0,
        by_type=by_type,
        by_month=by_month,
        coverage=coverage,
        drafts=list(entries.drafts().in_year(year).order_by("-updated_at")[:DRAFTS_SHOWN]),
        year_drafts=year_drafts,
        other_drafts=list(by_year.values()),
        checklist=checklist,
        regulator=regulator,
        regulator_panel=regulator_panel(user, regulator, registered_on, today),
    )
