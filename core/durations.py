"""Time spent, typed the way people say it: "90", "45m", "1.5h", "1h 30m", "1:30"."""

import re

# Numbers are at most five digits: a longer one is a typo, and converting hundreds of digits
# would overflow (or pass Python's limit on integer conversion) instead of saying so.
_HOURS_AND_MINUTES = re.compile(
    r"^(?:(?P<hours>\d{1,5}(?:\.\d{1,5})?)\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<minutes>\d{1,5})\s*(?:m|min|mins|minute|minutes)?)?$"
)
_CLOCK = re.compile(r"^(?P<hours>\d{1,5}):(?P<minutes>[0-5]\d)$")

# A day-long conference is the longest single piece of CPD we expect; anything above this is
# almost certainly a typo (minutes typed where hours were meant, or an extra zero).
MAX_MINUTES = 24 * 60


class DurationError(ValueError):
    pass


def parse_duration(text: str) -> int:
    """Minutes in ``text``. A bare number is minutes. Raises DurationError with a message
    fit to show the user."""
    cleaned = text.strip().lower().replace(",", ".")
    if not cleaned:
        raise DurationError("Enter the time you spent, such as 45m, 1h 30m or 1:30.")
    if cleaned.startswith("-"):
        raise DurationError("Time spent cannot be negative.")
    match = _CLOCK.match(cleaned) or _HOURS_AND_MINUTES.match(cleaned)
    if not match or not any(match.groupdict().values()):
        raise DurationError(
            f"“{text.strip()}” is not a time we understand. Try 45m, 1h 30m or 1:30."
        )
    hours = float(match["hours"] or 0)
    minutes = round(hours * 60) + int(match["minutes"] or 0)
    if minutes == 0:
        raise DurationError("Time spent must be more than zero.")
    if minutes > MAX_MINUTES:
        raise DurationError("That is more than 24 hours; log each day as its own entry.")
    return minutes


def format_duration(minutes: int | None) -> str:
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest}m"
    return f"{hours}h" if hours else f"{rest}m"
