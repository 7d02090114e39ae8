"""The regulators' CPD rules, read from regulators/data/regulators.toml: a profile per regulator,
every rule and fact with the page it came from. Nothing here knows one regulator from another;
what differs between them is in the data file."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "regulators.toml"
DEFAULT_REGULATOR = "swe"

RULE_KINDS = frozenset(
    {
        "pieces",
        "peer_reflection",
        "dated_in_period",
        "no_duplicates",
        "hours",
        "elements",
        "confirmation",
        "record_kept",
        "no_gaps",
        "activity_types",
        "credits",
    }
)
CYCLE_KINDS = frozenset({"fixed", "from_registration_date"})


class ProfileDataError(ValueError):
    """The data file says something the portal cannot state to a practitioner."""


@dataclass(frozen=True)
class Source:
    url: str
    confirmed: bool  # read on the regulator's own pages, not only in a secondary source


@dataclass(frozen=True)
class Cycle:
    kind: str  # "fixed" or "from_registration_date"
    years: int
    period_name: str  # "registration year", "declaration year", "registration period"
    starts: tuple[int, int] | None  # (month, day) of a fixed cycle
    source: Source

    @property
    def per_person(self) -> bool:
        return self.kind == "from_registration_date"


@dataclass(frozen=True)
class Renewal:
    name: str  # "registration renewal", "annual declaration"
    opens_on: tuple[int, int] | None  # (month, day), for a fixed cycle
    opens_days_before: int | None
    due_days_before: int
    source: Source


@dataclass(frozen=True)
class Rule:
    key: str
    kind: str
    label: str
    source: Source
    minimum: float | None = None
    statement: str = ""
    framework: str = ""
    months: int | None = None
    per_hour_with_reflection: float = 0
    per_hour_for_impact: float = 0

    @property
    def is_requirement(self) -> bool:
        """A credits rule is a figure to show, never something to meet."""
        return self.kind != "credits"


@dataclass(frozen=True)
class RecordField:
    field: str  # an Entry field
    asks: str  # the regulator's own question


@dataclass(frozen=True)
class Fact:
    text: str
    source: Source


@dataclass(frozen=True)
class RegulatorProfile:
    code: str
    name: str
    nation: str
    register: str
    summary: str
    home: str
    checked_on: dt.date
    registration_number_example: str
    cycle: Cycle
    renewal: Renewal
    rules: tuple[Rule, ...]
    record_fields: tuple[RecordField, ...]
    record_fields_source: Source
    facts: tuple[Fact, ...] = field(default=())
    frameworks: tuple[str, ...] = ()  # slugs the entry form offers, in the file's order

    @property
    def requirements(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.is_requirement)

    @property
    def confirmations(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind == "confirmation")

    def rule(self, kind: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.kind == kind), None)

    @property
    def counts_hours(self) -> bool:
        return self.rule("hours") is not None

    @property
    def counts_credits(self) -> bool:
        return self.rule("credits") is not None

    @property
    def element_framework(self) -> str:
        """The slug of the framework whose elements a year's learning must cover, if any."""
        rule = self.rule("elements")
        return rule.framework if rule else ""

    @property
    def unconfirmed(self) -> list[str]:
        """What this profile states that its regulator's own pages did not confirm."""
        items = []
        if not self.cycle.source.confirmed:
            items.append(f"The {self.cycle.years}-year cycle")
        if not self.renewal.source.confirmed:
            items.append(f"The dates of the {self.renewal.name}")
        items += [rule.label for rule in self.rules if not rule.source.confirmed]
        if not self.record_fields_source.confirmed:
            items.append("The questions its record asks")
        items += [fact.text for fact in self.facts if not fact.source.confirmed]
        return items


def _source(item: dict[str, Any], where: str) -> Source:
    url = item.get("source", "")
    if not url.startswith("https://") and not url.startswith("http://"):
        raise ProfileDataError(f"{where} has no source address.")
    if not isinstance(item.get("confirmed"), bool):
        raise ProfileDataError(f"{where} does not say whether its source confirmed it.")
    return Source(url=url, confirmed=item["confirmed"])


def _month_day(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    month, day = (int(part) for part in text.split("-"))
    dt.date(2024, month, day)  # a real day of some year, 29 February included
    return month, day


def _rule(item: dict[str, Any], where: str) -> Rule:
    if item.get("kind") not in RULE_KINDS:
        raise ProfileDataError(f"{where} has an unknown kind {item.get('kind')!r}.")
    if item["kind"] == "confirmation" and not item.get("statement"):
        raise ProfileDataError(f"{where} is a confirmation without a statement.")
    if item["kind"] == "elements" and not item.get("framework"):
        raise ProfileDataError(f"{where} names no framework.")
    return Rule(
        key=item["key"],
        kind=item["kind"],
        label=item["label"],
        source=_source(item, where),
        minimum=item.get("minimum"),
        statement=item.get("statement", ""),
        framework=item.get("framework", ""),
        months=item.get("months"),
        per_hour_with_reflection=item.get("per_hour_with_reflection", 0),
        per_hour_for_impact=item.get("per_hour_for_impact", 0),
    )


def _profile(item: dict[str, Any]) -> RegulatorProfile:
    code = item["code"]
    cycle, renewal = item["cycle"], item["renewal"]
    if cycle["kind"] not in CYCLE_KINDS:
        raise ProfileDataError(f"{code}: unknown cycle {cycle['kind']!r}.")
    if (cycle["kind"] == "fixed") != ("starts" in cycle):
        raise ProfileDataError(f"{code}: a fixed cycle, and only a fixed cycle, starts on a date.")
    if ("opens_on" in renewal) == ("opens_days_before" in renewal):
        raise ProfileDataError(
            f"{code}: the renewal opens on a date or some days before, not both."
        )
    rules = tuple(_rule(rule, f"{code}: rule {rule.get('key')!r}") for rule in item["rules"])
    keys = [rule.key for rule in rules]
    if len(set(keys)) != len(keys):
        raise ProfileDataError(f"{code}: two rules share a key.")
    frameworks = tuple(item.get("frameworks", ()))
    for rule in rules:
        if rule.kind == "elements" and rule.framework not in frameworks:
            raise ProfileDataError(f"{code}: rule {rule.key!r} reads a framework not offered.")
    return RegulatorProfile(
        code=code,
        name=item["name"],
        nation=item["nation"],
        register=item["register"],
        summary=item["summary"],
        home=item["home"],
        checked_on=item["checked_on"],
        registration_number_example=item.get("registration_number_example", ""),
        cycle=Cycle(
            kind=cycle["kind"],
            years=int(cycle["years"]),
            period_name=cycle["period_name"],
            starts=_month_day(cycle.get("starts")),
            source=_source(cycle, f"{code}: cycle"),
        ),
        renewal=Renewal(
            name=renewal["name"],
            opens_on=_month_day(renewal.get("opens_on")),
            opens_days_before=renewal.get("opens_days_before"),
            due_days_before=int(renewal["due_days_before"]),
            source=_source(renewal, f"{code}: renewal"),
        ),
        rules=rules,
        record_fields=tuple(
            RecordField(field=f["field"], asks=f["asks"]) for f in item["record_fields"]
        ),
        record_fields_source=_source(item["record_fields_source"], f"{code}: record fields"),
        facts=tuple(
            Fact(text=f["text"], source=_source(f, f"{code}: fact")) for f in item.get("facts", [])
        ),
        frameworks=frameworks,
    )


def load_profiles(path: Path = DATA_FILE) -> dict[str, RegulatorProfile]:
    """Every profile in the data file by code, in the file's order; refuses a file that states
    a rule without its source."""
    with path.open("rb") as data:
        items = tomllib.load(data)["regulator"]
    profiles = {item["code"]: _profile(item) for item in items}
    if len(profiles) != len(items):
        raise ProfileDataError("Two regulators share a code.")
    return profiles


@functools.cache
def profiles() -> dict[str, RegulatorProfile]:
    return load_profiles()


def profile(code: str) -> RegulatorProfile:
    """The profile of ``code``; an unknown code (a regulator since removed from the data)
    reads as the default rather than failing a page."""
    return profiles().get(code) or profiles()[DEFAULT_REGULATOR]


def regulator_choices() -> list[tuple[str, str]]:
    return [(p.code, f"{p.name} ({p.nation})") for p in profiles().values()]
