"""Events: when sessions fall, how times show to each viewer, iCalendar, and "I took part"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import ActivityType, Entry, Status
from resources.events import (
    describe_recurrence,
    recent_sessions,
    upcoming_events,
    upcoming_sessions,
)
from resources.models import Event, Recurrence
from tests.resources.factories import LONDON, make_event

pytestmark = pytest.mark.calendar  # sessions of repeating events are counted from now

UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")


def starts(sessions) -> list[dt.datetime]:
    return [s.start.astimezone(UTC) for s in sessions]


# --- Sessions ---------------------------------------------------------------------------------


def test_a_weekly_chat_keeps_its_london_time_when_the_clocks_change(db):
    chat = make_event(
        start=dt.datetime(2030, 3, 19, 20, tzinfo=LONDON), recurrence=Recurrence.WEEKLY
    )

    sessions = upcoming_sessions(chat, dt.datetime(2030, 3, 18, tzinfo=UTC), limit=4)

    assert [s.start.astimezone(LONDON).hour for s in sessions] == [20, 20, 20, 20]
    assert starts(sessions) == [
        dt.datetime(2030, 3, 19, 20, tzinfo=UTC),  # GMT
        dt.datetime(2030, 3, 26, 20, tzinfo=UTC),
        dt.datetime(2030, 4, 2, 19, tzinfo=UTC),  # BST from 31 March
        dt.datetime(2030, 4, 9, 19, tzinfo=UTC),
    ]
    assert all(s.duration_minutes == 60 for s in sessions)


def test_a_session_under_way_is_still_upcoming_until_it_ends(db):
    chat = make_event(start=dt.datetime(2030, 3, 19, 20, tzinfo=LONDON))

    assert upcoming_sessions(chat, dt.datetime(2030, 3, 19, 20, 30, tzinfo=UTC)) != []
    assert upcoming_sessions(chat, dt.datetime(2030, 3, 19, 21, 0, tzinfo=UTC)) == []


def test_a_monthly_event_falls_on_the_same_weekday_of_the_month(db):
    first_tuesday = make_event(
        start=dt.datetime(2030, 1, 1, 20, tzinfo=LONDON), recurrence=Recurrence.MONTHLY
    )

    sessions = upcoming_sessions(first_tuesday, dt.datetime(2030, 1, 1, tzinfo=UTC), limit=3)

    assert [s.start.date() for s in sessions] == [
        dt.date(2030, 1, 1),
        dt.date(2030, 2, 5),
        dt.date(2030, 3, 5),
    ]
    assert describe_recurrence(first_tuesday) == "Every month on the first Tuesday"


def test_a_fifth_weekday_becomes_the_last_one_in_shorter_months(db):
    last_thursday = make_event(
        start=dt.datetime(2030, 1, 31, 12, tzinfo=LONDON), recurrence=Recurrence.MONTHLY
    )

    sessions = upcoming_sessions(last_thursday, dt.datetime(2030, 1, 30, tzinfo=UTC), limit=3)

    assert [s.start.date() for s in sessions] == [
        dt.date(2030, 1, 31),
        dt.date(2030, 2, 28),
        dt.date(2030, 3, 28),
    ]
    assert describe_recurrence(last_thursday) == "Every month on the last Thursday"


def test_repeats_stop_after_the_last_day(db):
    chat = make_event(
        start=dt.datetime(2030, 3, 5, 20, tzinfo=LONDON),
        recurrence=Recurrence.WEEKLY,
        repeat_until=dt.date(2030, 3, 19),
    )

    sessions = upcoming_sessions(chat, dt.datetime(2030, 3, 1, tzinfo=UTC), limit=10)

    assert [s.start.date() for s in sessions] == [
        dt.date(2030, 3, 5),
        dt.date(2030, 3, 12),
        dt.date(2030, 3, 19),
    ]
    assert describe_recurrence(chat) == "Every Tuesday until 19 March 2030"


def test_upcoming_events_are_soonest_first_and_past_ones_left_out(db):
    now = dt.datetime(2030, 6, 1, tzinfo=UTC)
    later = make_event(start=dt.datetime(2030, 7, 1, 12, tzinfo=LONDON))
    weekly = make_event(
        start=dt.datetime(2030, 1, 1, 20, tzinfo=LONDON), recurrence=Recurrence.WEEKLY
    )
    make_event(start=dt.datetime(2030, 5, 1, 12, tzinfo=LONDON))  # over

    listed = upcoming_events(Event.objects.all(), now)

    assert [item.event for item in listed] == [weekly, later]
    assert listed[0].session.start.date() == dt.date(2030, 6, 4)


def test_recent_sessions_are_those_of_the_last_two_months_latest_first(db):
    chat = make_event(
        start=dt.datetime(2030, 1, 1, 20, tzinfo=LONDON), recurrence=Recurrence.WEEKLY
    )

    recent = recent_sessions(chat, dt.datetime(2030, 6, 12, tzinfo=UTC))

    assert [s.start.date() for s in recent] == [
        dt.date(2030, 6, 11),
        dt.date(2030, 6, 4),
        dt.date(2030, 5, 28),
    ]


# --- Times in the viewer's zone ---------------------------------------------------------------


def test_times_show_in_the_viewers_zone_with_london_beside(practitioner, client_for):
    practitioner.time_zone = "America/New_York"
    practitioner.save()
    chat = make_event(start=dt.datetime(2030, 11, 26, 20, tzinfo=LONDON), title="#SWSCmedia")

    content = client_for(practitioner).get(chat.get_absolute_url()).content.decode()

    assert "Tue 26 Nov 2030, 15:00–16:00" in content
    assert "America/New York" in content
    assert "Tue 26 Nov, 20:00–21:00 London time" in content


def test_a_london_viewer_sees_london_time_once(practitioner, client_for):
    make_event(start=dt.datetime(2030, 11, 26, 20, tzinfo=LONDON))

    content = client_for(practitioner).get(reverse("resources:event_list")).content.decode()

    assert "Tue 26 Nov 2030, 20:00–21:00" in content
    assert "London time" not in content


def test_a_visitor_sees_london_time(db, client):
    make_event(start=dt.datetime(2030, 11, 26, 20, tzinfo=LONDON))

    response = client.get(reverse("resources:event_list"))

    assert response.context["viewer_zone"] == "Europe/London"
    assert "Tue 26 Nov 2030, 20:00–21:00" in response.content.decode()


def test_the_profile_saves_a_time_zone(practitioner, client_for):
    client_for(practitioner).post(
        reverse("accounts:profile"), {"display_name": "Alex", "time_zone": "Australia/Sydney"}
    )

    practitioner.refresh_from_db()
    assert practitioner.time_zone == "Australia/Sydney"


# --- iCalendar --------------------------------------------------------------------------------


def test_one_event_as_icalendar_parses_back(db, client):
    chat = make_event(
        start=dt.datetime(2030, 11, 26, 15, tzinfo=NEW_YORK),
        time_zone="America/New_York",
        title="#SWSCmedia chat",
        recurrence=Recurrence.MONTHLY,
        repeat_until=dt.date(2031, 6, 30),
    )

    response = client.get(reverse("resources:event_ics", args=[chat.pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "#SWSCmedia chat"
    assert str(entry["UID"]) == f"event-{chat.pk}@testserver"
    start = entry["DTSTART"].dt
    assert start == dt.datetime(2030, 11, 26, 20, tzinfo=UTC)
    assert str(start.tzinfo) == "America/New_York"
    assert entry["DTEND"].dt - start == dt.timedelta(hours=1)
    rule = entry["RRULE"]
    assert (rule["FREQ"], rule["BYDAY"]) == (["MONTHLY"], ["4TU"])
    assert rule["UNTIL"][0].astimezone(NEW_YORK).date() == dt.date(2031, 6, 30)
    assert "Hashtag: #SWSCmedia" in str(entry["DESCRIPTION"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_the_feed_holds_every_upcoming_published_event(db, client):
    upcoming = make_event(title="Upcoming webinar")
    weekly = make_event(
        start=dt.datetime(2020, 1, 7, 20, tzinfo=LONDON),
        recurrence=Recurrence.WEEKLY,
        title="Weekly chat",
    )
    make_event(title="Retired webinar", status="retired")
    make_event(start=dt.datetime(2020, 1, 7, 20, tzinfo=LONDON), title="Long over")

    response = client.get(reverse("resources:events_feed"))

    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries == {upcoming.title, weekly.title}
    weekly_entry = next(e for e in calendar.walk("VEVENT") if e["SUMMARY"] == "Weekly chat")
    assert weekly_entry["RRULE"]["FREQ"] == ["WEEKLY"]
    assert "UNTIL" not in weekly_entry["RRULE"]


# --- "I took part" ----------------------------------------------------------------------------


@pytest.fixture
def yesterdays_chat(db) -> Event:
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    return make_event(
        start=start,
        minutes=75,
        title="#SWSCmedia chat on supervision",
        hashtag="SWSCmedia",
        platform="x",
        url="https://x.com/hashtag/SWSCmedia",
    )


def took_part(client, event: Event, session: str):
    return client.post(reverse("resources:event_took_part", args=[event.pk]), {"session": session})


def test_i_took_part_creates_a_draft_waiting_for_the_reflection(
    yesterdays_chat, practitioner, client_for
):
    client = client_for(practitioner)
    page = client.get(yesterdays_chat.get_absolute_url())
    (session,) = page.context["recent"]

    response = took_part(client, yesterdays_chat, session.start.isoformat())

    draft = Entry.objects.get(owner=practitioner)
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:entry_edit", args=[draft.pk])
    assert draft.status == Status.DRAFT
    assert (draft.title, draft.activity_type) == (
        "#SWSCmedia chat on supervision",
        ActivityType.LIVE_CHAT,
    )
    assert (draft.hashtag, draft.platform, draft.url) == (
        "SWSCmedia",
        "x",
        "https://x.com/hashtag/SWSCmedia",
    )
    assert draft.duration_minutes == 75
    assert draft.occurred_on == yesterdays_chat.starts_at.astimezone(LONDON).date()
    assert not draft.has_reflection

    took_part(client, yesterdays_chat, session.start.isoformat())
    assert Entry.objects.filter(owner=practitioner).count() == 1, "asking twice: one draft"


def test_the_draft_is_dated_on_the_viewers_own_day(db, other_practitioner, client_for):
    other_practitioner.time_zone = "Australia/Sydney"
    other_practitioner.save()
    late = timezone.now().astimezone(LONDON).replace(hour=22, minute=0, second=0, microsecond=0)
    event = make_event(start=late - dt.timedelta(days=2))

    took_part(client_for(other_practitioner), event, event.starts_at.isoformat())

    draft = Entry.objects.get(owner=other_practitioner)
    sydney_day = event.starts_at.astimezone(ZoneInfo("Australia/Sydney")).date()
    assert draft.occurred_on == sydney_day
    assert draft.occurred_on == event.starts_at.astimezone(LONDON).date() + dt.timedelta(days=1)


@pytest.mark.parametrize("session", ["not-a-date", "2030-01-08T20:00:00", "other-time", "future"])
def test_i_took_part_only_for_a_real_recent_session(
    session, yesterdays_chat, practitioner, client_for
):
    future = make_event()
    event = future if session == "future" else yesterdays_chat
    value = {
        "other-time": (yesterdays_chat.starts_at + dt.timedelta(minutes=5)).isoformat(),
        "future": future.starts_at.isoformat(),
    }.get(session, session)

    response = took_part(client_for(practitioner), event, value)

    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_the_event_page_offers_i_took_part_only_after_a_session(
    yesterdays_chat, practitioner, client_for
):
    client = client_for(practitioner)
    upcoming = make_event()

    assert "I took part" in client.get(yesterdays_chat.get_absolute_url()).content.decode()
    assert "I took part" not in client.get(upcoming.get_absolute_url()).content.decode()
