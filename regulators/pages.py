"""What the profile's "Your regulator" section and the regulator page show a practitioner:
her regulator, her current period and its deadline, and the confirmations she has made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps

from .countdown import Countdown, countdown
from .models import Confirmation
from .periods import RegistrationPeriod, period_containing
from .profiles import RegulatorProfile, Rule
from .registrations import registration_of


@dataclass(frozen=True)
class RegistrationSummary:
    profile: RegulatorProfile
    registered_on: dt.date | None
    period: RegistrationPeriod | None  # None while a per-person cycle has no date
    countdown: Countdown | None

    @property
    def needs_date(self) -> bool:
        return self.period is None


def summary_of(
    profile: RegulatorProfile, registered_on: dt.date | None, today: dt.date
) -> RegistrationSummary:
    period = period_containing(profile, today, registered_on)
    return RegistrationSummary(
        profile, registered_on, period, countdown(profile, period, today) if period else None
    )


def registration_summary(user, today: dt.date) -> RegistrationSummary:
    """``user``'s regulator, period and deadline today: one query."""
    profile, registered_on = registration_of(user)
    return summary_of(profile, registered_on, today)


@dataclass(frozen=True)
class ConfirmationState:
    rule: Rule
    confirmation: Confirmation | None  # made for the current period


def confirmation_states(user, summary: RegistrationSummary) -> list[ConfirmationState]:
    """Each confirmation ``summary``'s regulator asks for, with the one ``user`` made for her
    current period (one query; none without a period)."""
    rules = summary.profile.confirmations
    made: dict[str, Confirmation] = {}
    if summary.period is not None and rules:
        made = {
            c.rule: c
            for c in Confirmation.objects.for_user(user).filter(
                regulator=summary.profile.code, period_end=summary.period.end
            )
        }
    return [ConfirmationState(rule, made.get(rule.key)) for rule in rules]


@dataclass(frozen=True)
class RecordQuestion:
    asks: str  # the regulator's own words
    answered_in: str  # the entry form's field that answers it


def record_questions(profile: RegulatorProfile) -> list[RecordQuestion]:
    return [
        RecordQuestion(item.asks, str(_entry_field_name(item.field)))
        for item in profile.record_fields
    ]


def _entry_field_name(field: str) -> str:
    """What the log's form calls ``field``: looked up at run time, since this app sits below
    the log and must not import it."""
    return apps.get_model("portfolio", "Entry")._meta.get_field(field).verbose_name
