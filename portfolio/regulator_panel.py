"""The dashboard's panel for a practitioner whose regulator is not Social Work England: her
period and deadline, the checklist of her regulator's rules, and the figures those rules count
(hours against the minimum, Professional in Practice credits, the core learning elements).
Social Work England's registrants keep the portal's own CPD-year checklist, so get no panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from regulators.pages import RegistrationSummary, summary_of
from regulators.profiles import DEFAULT_REGULATOR, RegulatorProfile, Rule

from .standing import Standing, standing_in


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    covered: bool


@dataclass(frozen=True)
class RegulatorPanel:
    summary: RegistrationSummary
    standing: Standing | None  # None while her regulator needs a date she has not given

    @property
    def profile(self) -> RegulatorProfile:
        return self.summary.profile

    @property
    def hours_rule(self) -> Rule | None:
        return self.profile.rule("hours")

    @property
    def minutes(self) -> int:
        return self.standing.counts.minutes if self.standing else 0

    @property
    def minimum_minutes(self) -> int:
        rule = self.hours_rule
        return int((rule.minimum or 0) * 60) if rule else 0

    @property
    def credits_rule(self) -> Rule | None:
        return self.profile.rule("credits")

    @property
    def credits(self) -> str:
        return f"{self.standing.counts.credits:g}" if self.standing else "0"

    @property
    def elements(self) -> list[Element]:
        if not self.standing:
            return []
        counts = self.standing.counts
        return [
            Element(code, name, code in counts.elements_covered) for code, name in counts.elements
        ]

    @property
    def confirmation_keys(self) -> frozenset[str]:
        return frozenset(rule.key for rule in self.profile.confirmations)

    @property
    def ready(self) -> bool:
        return bool(self.standing and self.standing.checklist.met)


def regulator_panel(
    user, profile: RegulatorProfile, registered_on: dt.date | None, today: dt.date
) -> RegulatorPanel | None:
    """The panel for ``user`` under ``profile`` (read with regulators.registrations.
    registration_of); None for Social Work England. Three or four queries, however many
    entries she has."""
    if profile.code == DEFAULT_REGULATOR:
        return None
    summary = summary_of(profile, registered_on, today)
    standing = standing_in(user, profile, summary.period, today) if summary.period else None
    return RegulatorPanel(summary, standing)
