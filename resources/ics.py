"""Events as iCalendar (RFC 5545), for calendar apps to subscribe to or import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar

from .events import week_of_month
from .models import Event, Recurrence

PRODUCT_ID = "-//CPD Portal//Resource library events//EN"
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _repeat_rule(event: Event, first: dt.datetime) -> dict | None:
    if event.recurrence == Recurrence.NONE:
        return None
    if event.recurrence == Recurrence.WEEKLY:
        rule: dict = {"freq": "weekly"}
    else:
        day = f"{week_of_month(first.date())}{WEEKDAY_CODES[first.weekday()]}"
        rule = {"freq": "monthly", "byday": day}
    if event.repeat_until:
        # RFC 5545: with a zoned DTSTART, UNTIL is given in UTC.
        last_moment = dt.datetime.combine(event.repeat_until, dt.time(23, 59, 59), first.tzinfo)
        rule["until"] = last_moment.astimezone(dt.UTC)
    return rule


def _description(event: Event) -> str:
    lines = [event.description.strip()] if event.description.strip() else []
    if event.hashtag:
        lines.append(f"Hashtag: #{event.hashtag}")
    if event.host:
        lines.append(f"Host: {event.host}")
    if event.url:
        lines.append(event.url)
    return "\n\n".join(lines)


def _calendar_event(event: Event, uid_domain: str) -> icalendar.Event:
    zone = ZoneInfo(event.time_zone)
    first = event.starts_at.astimezone(zone)
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.pk}@{uid_domain}")
    entry.add("dtstamp", event.updated_at)
    entry.add("summary", event.title)
    entry.add("dtstart", first)
    entry.add("dtend", event.ends_at.astimezone(zone))
    entry.add("description", _description(event))
    if event.url:
        entry.add("url", event.url)
        entry.add("location", event.url)
    rule = _repeat_rule(event, first)
    if rule:
        entry.add("rrule", rule)
    return entry


def events_calendar(events: Iterable[Event], *, name: str, uid_domain: str) -> bytes:
    """A calendar holding ``events``, with the time zone definitions they use. ``uid_domain``
    makes each event's UID globally unique and stable, so re-importing updates, never
    duplicates."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_calendar_event(event, uid_domain))
    calendar.add_missing_timezones()
    return calendar.to_ical()
