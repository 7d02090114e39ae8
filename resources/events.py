"""When events happen: the sessions of a one-off or repeating event, in its own time zone.

A repeating event keeps its wall-clock time where it is held: the Tuesday 20:00 London chat is
at 20:00 London in winter and in summer, so the sessions are computed on wall-clock times in
the event's zone and only then made aware. Monthly events fall on the same weekday of the
month as the first session (the first Tuesday, the last Thursday).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.utils.formats import date_format

from .models import Event, EventQuerySet, Recurrence

# "I took part" is offered for sessions that started in this window: CPD is logged soon after.
TOOK_PART_WINDOW = dt.timedelta(days=62)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


@dataclass(frozen=True)
class Session:
    """One occurrence of an event, its start and end aware in the event's time zone."""

    start: dt.datetime
    end: dt.datetime

    @property
    def duration_minutes(self) -> int:
        return round((self.end - self.start).total_seconds() / 60)


@dataclass(frozen=True)
class UpcomingEvent:
    event: Event
    session: Session


@dataclass(frozen=True)
class WallClockTimes:
    """A session as a clock in one zone shows it: naive, so templates print it as it is."""

    zone: str
    start: dt.datetime
    end: dt.datetime

    @property
    def zone_label(self) -> str:
        return self.zone.replace("_", " ")

    @property
    def ends_same_day(self) -> bool:
        return self.start.date() == self.end.date()


def wall_clock_times(session: Session, zone_name: str) -> WallClockTimes:
    zone = ZoneInfo(zone_name)
    return WallClockTimes(
        zone_name,
        session.start.astimezone(zone).replace(tzinfo=None),
        session.end.astimezone(zone).replace(tzinfo=None),
    )


def week_of_month(day: dt.date) -> int:
    """1 for the first such weekday of its month, up to 4; -1 for a fifth, which not every
    month has, so the series keeps to the last one instead."""
    week = (day.day - 1) // 7 + 1
    return -1 if week == 5 else week


def _wall_clock_rule(event: Event) -> rrule | None:
    zone = ZoneInfo(event.time_zone)
    first = event.starts_at.astimezone(zone).replace(tzinfo=None)
    until = dt.datetime.combine(event.repeat_until, dt.time.max) if event.repeat_until else None
    if event.recurrence == Recurrence.WEEKLY:
        return rrule(WEEKLY, dtstart=first, until=until)
    if event.recurrence == Recurrence.MONTHLY:
        day = weekday(first.weekday(), week_of_month(first.date()))
        return rrule(MONTHLY, dtstart=first, byweekday=day, until=until)
    return None


def _session(event: Event, wall_clock_start: dt.datetime) -> Session:
    start = wall_clock_start.replace(tzinfo=ZoneInfo(event.time_zone))
    return Session(start, start + (event.ends_at - event.starts_at))


def _wall_clock(event: Event, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(ZoneInfo(event.time_zone)).replace(tzinfo=None)


def _first_session(event: Event) -> Session:
    zone = ZoneInfo(event.time_zone)
    return Session(event.starts_at.astimezone(zone), event.ends_at.astimezone(zone))


def upcoming_sessions(event: Event, now: dt.datetime, limit: int = 5) -> list[Session]:
    """The next ``limit`` sessions not yet over at ``now``, soonest first."""
    rule = _wall_clock_rule(event)
    if rule is None:
        first = _first_session(event)
        return [first] if first.end > now else []
    length = event.ends_at - event.starts_at
    starts = rule.xafter(_wall_clock(event, now - length), count=limit, inc=False)
    return [_session(event, start) for start in starts]


def next_session(event: Event, now: dt.datetime) -> Session | None:
    sessions = upcoming_sessions(event, now, limit=1)
    return sessions[0] if sessions else None


def recent_sessions(event: Event, now: dt.datetime, limit: int = 3) -> list[Session]:
    """Sessions that started in the last TOOK_PART_WINDOW, latest first: the ones a
    practitioner may say they took part in."""
    rule = _wall_clock_rule(event)
    if rule is None:
        first = _first_session(event)
        return [first] if now - TOOK_PART_WINDOW <= first.start <= now else []
    starts = rule.between(_wall_clock(event, now - TOOK_PART_WINDOW), _wall_clock(event, now))
    return [_session(event, start) for start in reversed(starts[-limit:])]


def session_starting_at(event: Event, start: dt.datetime, now: dt.datetime) -> Session | None:
    """The recent session of ``event`` that starts at ``start``, if there is one."""
    return next((s for s in recent_sessions(event, now, limit=100) if s.start == start), None)


def upcoming_events(events: EventQuerySet, now: dt.datetime) -> list[UpcomingEvent]:
    """Each event with its next session, soonest first; events that are over are left out."""
    listed = []
    for event in events.not_over(now):
        session = next_session(event, now)
        if session:
            listed.append(UpcomingEvent(event, session))
    return sorted(listed, key=lambda item: (item.session.start, item.event.pk))


def describe_recurrence(event: Event) -> str:
    """ "Every Tuesday until 30 June 2026", "Every month on the first Tuesday", "Once"."""
    first = event.starts_at.astimezone(ZoneInfo(event.time_zone))
    day_name = date_format(first, "l")
    if event.recurrence == Recurrence.WEEKLY:
        text = f"Every {day_name}"
    elif event.recurrence == Recurrence.MONTHLY:
        text = f"Every month on the {ORDINALS[week_of_month(first.date())]} {day_name}"
    else:
        return "Once"
    if event.repeat_until:
        text += f" until {date_format(event.repeat_until, 'j F Y')}"
    return text
