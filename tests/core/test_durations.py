import pytest

from core.durations import DurationError, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90", 90),
        ("45m", 45),
        ("45 mins", 45),
        ("1h", 60),
        ("1.5h", 90),
        ("1,5 hours", 90),
        ("1h 30m", 90),
        ("1h30", 90),
        ("2 hours 15 minutes", 135),
        ("1:30", 90),
        (" 0:45 ", 45),
    ],
)
def test_parses_the_ways_people_write_time(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-30", "cannot be negative"),
        ("-1h", "cannot be negative"),
        ("0", "more than zero"),
        ("an hour", "not a time we understand"),
        ("1:75", "not a time we understand"),
        ("", "Enter the time"),
        ("25h", "more than 24 hours"),
        ("9" * 400 + "h", "not a time we understand"),
        ("9" * 5000, "not a time we understand"),
    ],
)
def test_rejects_bad_durations_with_a_message(text, message):
    with pytest.raises(DurationError, match=message):
        parse_duration(text)


@pytest.mark.parametrize(("minutes", "text"), [(None, ""), (45, "45m"), (60, "1h"), (90, "1h 30m")])
def test_format_duration_round_trips(minutes, text):
    assert format_duration(minutes) == text
    if minutes:
        assert parse_duration(text) == minutes
