"""A practitioner's own registration periods, as the choices of what a summary or an evidence
pack covers: offered only where her regulator's period is not the portal's CPD year."""

from __future__ import annotations

import datetime as dt

from core.periods import Period, RegistrationPresets

from .periods import period_containing, previous_period
from .profiles import DEFAULT_REGULATOR
from .registrations import registration_of


def registration_presets(user, today: dt.date) -> RegistrationPresets | None:
    """Her current and previous registration periods; None under Social Work England (whose
    year the CPD year presets already are) or while her regulator needs a date not given."""
    regulator, registered_on = registration_of(user)
    if regulator.code == DEFAULT_REGULATOR:
        return None
    current = period_containing(regulator, today, registered_on)
    if current is None:
        return None
    previous = previous_period(regulator, current, registered_on)
    return RegistrationPresets(
        regulator_name=regulator.name,
        period_name=regulator.cycle.period_name,
        current=Period(current.start, current.end),
        # Before her first period there is none: the cycle gives the first one again.
        previous=Period(previous.start, previous.end)
        if previous and previous.start < current.start
        else None,
    )
