"""The countdown's words, on the dates the issue gives for Wales."""

import datetime as dt

from regulators.countdown import countdown
from regulators.periods import period_containing
from regulators.profiles import profile

REGISTERED = dt.date(2020, 3, 15)


def _words(code: str, today: dt.date) -> str:
    regulator = profile(code)
    result = countdown(regulator, period_containing(regulator, today, REGISTERED), today)
    return f"{result.headline}{result.detail} {result.window}".strip()


def test_wales_before_its_window_opens():
    assert _words("scw", dt.date(2028, 12, 1)) == (
        "Renewal due in 83 days: complete it by 22 February 2029, 21 days before your renewal "
        "date. Your renewal opens on 19 December 2028."
    )


def test_wales_in_its_window_on_the_last_day_and_after_it():
    assert _words("scw", dt.date(2029, 1, 2)).endswith("Your renewal opened on 19 December 2028.")
    assert _words("scw", dt.date(2029, 2, 22)) == (
        "Renewal due today: complete it by 23:59, 21 days before your renewal date. "
        "Your renewal opened on 19 December 2028."
    )
    assert _words("scw", dt.date(2029, 2, 23)) == (
        "Your renewal is overdue: it was due by 22 February 2029, 21 days before your renewal "
        "date. Complete it as soon as you can: your registration period ends on 14 March 2029."
    )


def test_scotlands_annual_declaration_is_due_on_the_day_before_the_anniversary():
    assert _words("sssc", dt.date(2027, 3, 13)) == (
        "Annual declaration due in 1 day: complete it by 14 March 2027. "
        "Your annual declaration opened on 13 February 2027."
    )
