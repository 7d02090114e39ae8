"""Choosing a regulator and confirming what it asks: the one way in for the profile form, the
dashboard and the demo. Nothing here deletes a practitioner's records."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.fragments import renew_owner_version

from .models import Confirmation, Registration
from .periods import RegistrationPeriod, period_containing
from .profiles import DEFAULT_REGULATOR, RegulatorProfile, profile, profiles


class RegistrationRefused(ValueError):
    """What the practitioner asked for cannot be recorded; the message says why, and
    ``field`` names what it is about ("regulator" or "registered_on"; empty for neither)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def registration_of(user) -> tuple[RegulatorProfile, dt.date | None]:
    """``user``'s regulator's profile and her date of first registration (None if not given)."""
    row = Registration.objects.for_user(user).first()
    if row is None:
        return profile(DEFAULT_REGULATOR), None
    return profile(row.regulator), row.registered_on


def current_period(user, today: dt.date) -> tuple[RegulatorProfile, RegistrationPeriod | None]:
    regulator, registered_on = registration_of(user)
    return regulator, period_containing(regulator, today, registered_on)


def check_registration(
    regulator: str, registered_on: dt.date | None, today: dt.date
) -> RegulatorProfile:
    """The profile of ``regulator`` if ``registered_on`` will do for it, or RegistrationRefused:
    a regulator whose cycle runs from a registration date needs one; a date after today is
    refused. For a form to check before it saves anything."""
    if regulator not in profiles():
        raise RegistrationRefused("Choose one of the regulators listed.", "regulator")
    chosen = profile(regulator)
    if registered_on is not None and registered_on > today:
        raise RegistrationRefused(
            "Your date of first registration cannot be after today.", "registered_on"
        )
    if registered_on is not None and registered_on < dt.date(1990, 1, 1):
        raise RegistrationRefused(
            "Check the year of your date of first registration.", "registered_on"
        )
    if chosen.cycle.per_person and registered_on is None:
        raise RegistrationRefused(
            f"{chosen.name}'s {chosen.cycle.period_name} runs from your date of first "
            "registration: enter it to see your dates.",
            "registered_on",
        )
    return chosen


def set_registration(user, regulator: str, registered_on: dt.date | None, today: dt.date) -> None:
    """Record ``user``'s regulator and registration date (see ``check_registration``). Only
    this row changes: her entries and confirmations under any regulator stay."""
    check_registration(regulator, registered_on, today)
    with transaction.atomic():
        Registration.objects.update_or_create(
            owner=user, defaults={"regulator": regulator, "registered_on": registered_on}
        )
        renew_owner_version(user.pk)


def confirm(user, rule_key: str, today: dt.date) -> Confirmation:
    """Confirm the statement of ``rule_key`` (a confirmation rule of ``user``'s regulator) for
    her current period; confirming twice keeps the first."""
    regulator, period = current_period(user, today)
    rule = next((r for r in regulator.confirmations if r.key == rule_key), None)
    if rule is None:
        raise RegistrationRefused(f"{regulator.name} asks for no such confirmation.")
    if period is None:
        raise RegistrationRefused("Enter your date of first registration first.")
    with transaction.atomic():
        confirmation, _ = Confirmation.objects.get_or_create(
            owner=user,
            regulator=regulator.code,
            rule=rule.key,
            period_end=period.end,
            defaults={
                "statement": rule.statement,
                "period_start": period.start,
                "confirmed_at": timezone.now(),
            },
        )
        renew_owner_version(user.pk)
    return confirmation


def withdraw_confirmation(user, rule_key: str, today: dt.date) -> bool:
    """Withdraw ``user``'s confirmation of ``rule_key`` for her current period; False if she
    had made none."""
    regulator, period = current_period(user, today)
    if period is None:
        return False
    with transaction.atomic():
        deleted, _ = (
            Confirmation.objects.for_user(user)
            .filter(regulator=regulator.code, rule=rule_key, period_end=period.end)
            .delete()
        )
        if deleted:
            renew_owner_version(user.pk)
    return bool(deleted)
