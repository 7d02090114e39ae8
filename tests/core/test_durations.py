import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

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


# --- One way of writing time spent ---------------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Time printed as a number of hours ("2.2") rather than through the duration filter: a
# float format or a division of anything named for minutes or hours.
RAW_HOURS = re.compile(r"(minutes|hours)[\w.]*\s*\|\s*(floatformat|hours|divisibleby|stringformat)")


def test_no_template_prints_time_spent_as_a_number_of_hours():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if RAW_HOURS.search(line)
    ]
    assert offenders == []


def test_the_raw_hours_pattern_catches_what_it_is_for():
    assert RAW_HOURS.search("{{ row.minutes|floatformat:1 }}")
    assert RAW_HOURS.search("{{ d.total_minutes|hours }}")
    assert not RAW_HOURS.search('{{ row.minutes|duration:"0h" }}')


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("{{ m|duration }}", "2h 15m"),
        ('{{ none|duration:"0h" }}', "0h"),
        ('{{ zero|duration:"0h" }}', "0h"),
        ("{{ none|duration|default:'–' }}", "–"),
    ],
)
def test_the_duration_filter_writes_time_as_the_forms_read_it(template, text):
    rendered = Template("{% load formatting %}" + template).render(
        Context({"m": 135, "none": None, "zero": 0})
    )
    assert rendered == text
