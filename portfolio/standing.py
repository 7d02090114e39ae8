"""Where a practitioner stands with her own regulator today, counted from her complete entries
of her current period in a fixed number of queries: what the dashboard's regulator panel, the
renewal sheet and the evidence pack show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from core.periods import add_months
from regulators.credits import entry_credits
from regulators.models import Confirmation
from regulators.periods import RegistrationPeriod
from regulators.profiles import RegulatorProfile
from regulators.registrations import current_period
from regulators.requirements import Checklist, Gap, PeriodCounts, judge

from .checklist import checklist_counts
from .models import Capability, Entry, Status
from .tallies import COUNTED_FIELDS


@dataclass(frozen=True)
class Standing:
    profile: RegulatorProfile
    period: RegistrationPeriod
    counts: PeriodCounts
    checklist: Checklist
    today: dt.date

    @property
    def days_left(self) -> int:
        return self.period.days_left(self.today)


def gaps_in(days: Sequence[dt.date], period: RegistrationPeriod, today: dt.date, months: int):
    """Stretches of ``months`` months or more inside ``period`` (up to today) with no entry."""
    last_day = min(period.end, today)
    marks = sorted(d for d in days if period.start <= d <= last_day)
    gaps = []
    cursor = period.start
    for day in [*marks, last_day + dt.timedelta(days=1)]:
        if day > cursor and add_months(cursor, months) <= day:
            gaps.append(Gap(cursor, day - dt.timedelta(days=1)))
        cursor = max(cursor, day + dt.timedelta(days=1))
    return tuple(gaps)


def period_counts(
    profile: RegulatorProfile,
    period: RegistrationPeriod,
    entries: Sequence[Entry],
    element_links: dict[int, set[str]],
    elements: Sequence[tuple[str, str]],
    confirmed: frozenset[str],
    today: dt.date,
) -> PeriodCounts:
    """The counts of ``entries`` (complete, dated in ``period``) that ``profile``'s rules read;
    ``element_links`` gives each entry's codes in the element framework."""
    base = checklist_counts(entries, period, today)
    counted = [e for e in entries if period.contains(e.occurred_on) and e.occurred_on <= today]
    credits_rule = profile.rule("credits")
    gaps_rule = profile.rule("no_gaps")
    return PeriodCounts(
        different=base.different,
        peer_reflected=base.peer_reflected,
        misdated=base.misdated,
        duplicates=base.duplicates,
        minutes=sum(e.duration_minutes or 0 for e in counted),
        activity_types=len({e.activity_type for e in counted}),
        elements_covered=frozenset(code for e in counted for code in element_links.get(e.pk, ())),
        elements=tuple(elements),
        gaps=gaps_in([e.occurred_on for e in counted], period, today, gaps_rule.months)
        if gaps_rule
        else (),
        confirmed=confirmed,
        credits=float(
            sum(
                entry_credits(credits_rule, e.duration_minutes, e.what_learned, e.impact)
                for e in counted
            )
        )
        if credits_rule
        else 0,
    )


def standing_of(user, today: dt.date) -> Standing | None:
    """``user``'s standing in her current period; None while her regulator needs a
    registration date she has not given."""
    profile, period = current_period(user, today)
    if period is None:
        return None
    return standing_in(user, profile, period, today)


def standing_in(
    user, profile: RegulatorProfile, period: RegistrationPeriod, today: dt.date
) -> Standing:
    """``user``'s standing under ``profile`` in ``period``, which need not be her current one
    (an evidence pack judges the regulator and period it was requested for): three queries,
    four with an element framework."""
    entries = list(
        Entry.objects.for_user(user)
        .complete()
        .filter(occurred_on__range=(period.start, period.end))
        .only(*COUNTED_FIELDS)
        .order_by()
    )
    elements: list[tuple[str, str]] = []
    links: dict[int, set[str]] = {}
    if profile.element_framework:
        elements = list(
            Capability.objects.filter(framework__slug=profile.element_framework)
            .order_by("position")
            .values_list("code", "name")
        )
        through = Entry.capabilities.through.objects.filter(
            entry__owner=user,
            entry__status=Status.COMPLETE,
            entry__occurred_on__range=(period.start, period.end),
            capability__framework__slug=profile.element_framework,
        ).values_list("entry_id", "capability__code")
        for entry_id, code in through:
            links.setdefault(entry_id, set()).add(code)
    confirmed = frozenset(
        Confirmation.objects.for_user(user)
        .filter(regulator=profile.code, period_end=period.end)
        .values_list("rule", flat=True)
    )
    counts = period_counts(profile, period, entries, links, elements, confirmed, today)
    return Standing(profile, period, counts, judge(profile, period.label, counts), today)
