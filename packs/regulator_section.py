"""What an evidence pack says about the practitioner's regulator: the one she had when she
asked for the pack (stored on it), the registration period the pack falls in, that period's
checklist with the page each rule came from, the confirmations she made, and hours and
Professional in Practice credits where her regulator counts them. Also the renewal sheet's
entries, each laid out under her regulator's own questions in its order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from core.durations import format_duration
from portfolio.models import Capability, Entry, EntryQuerySet
from portfolio.standing import Standing, standing_in
from regulators.credits import entry_credits
from regulators.models import Confirmation
from regulators.periods import RegistrationPeriod, period_containing
from regulators.profiles import RegulatorProfile, Rule, profile

from .models import EvidencePack

HUNDREDTHS = Decimal("0.01")


def plain(number: Decimal) -> Decimal:
    """``number`` to the hundredth without trailing zeros, never in exponent form: 1.5, 90."""
    number = number.quantize(HUNDREDTHS)
    return (
        number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    )


def decimal_hours(minutes: int | None) -> Decimal | None:
    """Minutes as hours, as a spreadsheet or a regulator's form wants them: 90 minutes is 1.5;
    None when no time was recorded."""
    return None if minutes is None else plain(Decimal(minutes) / 60)


def pip_credits(rule: Rule, entry: Entry) -> Decimal:
    """``entry``'s Professional in Practice credits under ``rule`` (a credits rule)."""
    return plain(entry_credits(rule, entry.duration_minutes, entry.what_learned, entry.impact))


@dataclass(frozen=True)
class RenewalField:
    asks: str  # the regulator's own question
    answer: str


@dataclass(frozen=True)
class RenewalEntry:
    entry: Entry
    fields: tuple[RenewalField, ...]
    credits: Decimal | None  # None where the regulator counts none


@dataclass(frozen=True)
class PackRegulator:
    profile: RegulatorProfile
    period: RegistrationPeriod | None  # None while a date the cycle needs was not given
    standing: Standing | None
    confirmations: tuple[Confirmation, ...]
    minutes: int  # of the pack's entries
    credits: Decimal | None

    @property
    def unconfirmed(self) -> list[str]:
        return self.profile.unconfirmed


def _answer(regulator: RegulatorProfile, entry: Entry, field: str) -> str:
    if field == "occurred_on":
        return f"{entry.occurred_on:%d/%m/%Y}"
    if field == "activity_type":
        return entry.get_activity_type_display()
    if field == "duration_minutes":
        hours = decimal_hours(entry.duration_minutes)
        if hours is None:
            return "Not recorded"
        return (
            f"{hours} hour{'' if hours == 1 else 's'} ({format_duration(entry.duration_minutes)})"
        )
    if field == "capabilities":
        framework = regulator.element_framework
        names = [
            f"{c.code} {c.name}" if not framework else c.name
            for c in entry.capabilities.all()
            if not framework or c.framework.slug == framework
        ]
        return "; ".join(names) or "None linked yet"
    if field == "peer_learning":
        if not entry.is_peer_reflected:
            return ""
        return (f"With {entry.peer_role}. " if entry.peer_role else "") + entry.peer_learning
    return getattr(entry, field)


def renewal_entry(regulator: RegulatorProfile, entry: Entry) -> RenewalEntry:
    """``entry`` (capabilities with their frameworks prefetched) under ``regulator``'s
    questions; a question with nothing to answer (no peer discussion) is left out."""
    fields = tuple(
        RenewalField(field.asks, answer)
        for field in regulator.record_fields
        if (answer := _answer(regulator, entry, field.field))
    )
    credits_rule = regulator.rule("credits")
    return RenewalEntry(
        entry=entry,
        fields=fields,
        credits=pip_credits(credits_rule, entry) if credits_rule else None,
    )


def with_capabilities(entries: EntryQuerySet) -> EntryQuerySet:
    """``entries`` with what renewal_entry reads of their capabilities, in one query more."""
    return entries.prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.select_related("framework"))
    )


def renewal_entries(regulator: RegulatorProfile, entries: Iterable[Entry]) -> list[RenewalEntry]:
    return [renewal_entry(regulator, entry) for entry in entries]


def pack_day(evidence_pack: EvidencePack) -> dt.date:
    """The day whose registration period the pack is about: its last day, or the day it was
    requested when that came sooner (a period not over yet)."""
    requested = timezone.localdate(evidence_pack.created_at)
    return min(evidence_pack.period_end, requested)


def pack_regulator(
    evidence_pack: EvidencePack, entries: EntryQuerySet, today: dt.date
) -> PackRegulator:
    """The regulator's section of ``evidence_pack`` (whose ``entries`` are given), judged
    today, in a fixed number of queries."""
    regulator = profile(evidence_pack.regulator)
    period = period_containing(regulator, pack_day(evidence_pack), evidence_pack.registered_on)
    owner = evidence_pack.owner
    standing = standing_in(owner, regulator, period, today) if period else None
    confirmations = (
        tuple(
            Confirmation.objects.for_user(owner)
            .filter(regulator=regulator.code, period_end=period.end)
            .order_by("confirmed_at")
        )
        if period
        else ()
    )
    credits_rule = regulator.rule("credits")
    minutes, credits = 0, Decimal(0)
    for duration, learned, impact in entries.values_list(
        "duration_minutes", "what_learned", "impact"
    ).iterator():
        minutes += duration or 0
        if credits_rule:
            credits += entry_credits(credits_rule, duration, learned, impact)
    return PackRegulator(
        profile=regulator,
        period=period,
        standing=standing,
        confirmations=confirmations,
        minutes=minutes,
        credits=plain(credits) if credits_rule else None,
    )
