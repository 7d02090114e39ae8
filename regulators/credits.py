"""Northern Ireland's Professional in Practice credits for an entry, as the data file states
the rule: so many credits an hour of learning with a reflection, and more an hour for showing
its impact. Hours are counted to the quarter hour below, as a log of minutes would be read."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from .profiles import Rule


def hours_of(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / 60 / Decimal("0.25")).to_integral_value(ROUND_DOWN) * Decimal(
        "0.25"
    )


def entry_credits(rule: Rule, minutes: int | None, reflection: str, impact: str) -> Decimal:
    """The credits ``rule`` (a credits rule) gives an entry of ``minutes`` with these texts:
    none without a reflection."""
    if not reflection.strip():
        return Decimal(0)
    per_hour = Decimal(str(rule.per_hour_with_reflection))
    if impact.strip():
        per_hour += Decimal(str(rule.per_hour_for_impact))
    return hours_of(minutes) * per_hour
