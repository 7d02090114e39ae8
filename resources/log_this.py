"""Turning what the library offers into a log entry in one step: a resource into a filled-in
activity form, a session someone took part in into a draft waiting for its reflection."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import QueryDict

from core.time_zones import viewer_time_zone
from portfolio.entries import save_entry
from portfolio.models import ActivityType, Entry, Platform, Status

from .events import Session
from .models import Event, EventKind, Resource, ResourceKind

# What reading, following or joining each kind of resource is, as a log entry: its type, and
# the platform when the kind implies one (a resource's own platform, if set, wins).
ACTIVITY_FOR_RESOURCE: dict[str, tuple[str, str]] = {
    ResourceKind.BLOG: (ActivityType.BLOG_READ, Platform.BLOG),
    ResourceKind.ARTICLE: (ActivityType.READING, Platform.WEBSITE),
    ResourceKind.POLICY: (ActivityType.READING, Platform.WEBSITE),
    ResourceKind.SOCIAL_ACCOUNT: (ActivityType.TWEET_READ, ""),
    ResourceKind.HASHTAG: (ActivityType.LIVE_CHAT, ""),
    ResourceKind.COMMUNITY: (ActivityType.FORUM, Platform.FORUM),
    ResourceKind.WEBINAR: (ActivityType.WEBINAR, Platform.WEBSITE),
    ResourceKind.PODCAST: (ActivityType.OTHER, Platform.PODCAST),
    ResourceKind.BOOK: (ActivityType.READING, ""),
}
ACTIVITY_FOR_EVENT: dict[str, str] = {
    EventKind.LIVE_CHAT: ActivityType.LIVE_CHAT,
    EventKind.WEBINAR: ActivityType.WEBINAR,
    EventKind.WORKSHOP: ActivityType.COURSE,
}


def entry_initial_from_resource(resource: Resource) -> dict[str, Any]:
    """The activity form's starting values for an entry about ``resource``."""
    activity_type, platform = ACTIVITY_FOR_RESOURCE[resource.kind]
    return {
        "resource": resource.pk,
        "title": resource.title,
        "url": resource.url,
        "activity_type": activity_type,
        "platform": resource.platform or platform,
        "hashtag": f"#{resource.hashtag}" if resource.hashtag else "",
        "capabilities": list(resource.capabilities.all()),
    }


def entry_initial_from_query(query: QueryDict) -> dict[str, Any]:
    """Starting values for /activities/new/?resource=<id>: none for a missing, malformed or
    retired resource, so the form simply opens empty."""
    try:
        pk = int(query.get("resource", ""))
    except ValueError:
        return {}
    resource = Resource.objects.published().filter(pk=pk).first()
    return entry_initial_from_resource(resource) if resource else {}


def draft_from_session(event: Event, session: Session, owner) -> Entry:
    """A draft entry for ``owner``'s part in one session of ``event``, dated on the day it
    was for them, in their own time zone. Asking twice gives the same draft."""
    day = session.start.astimezone(ZoneInfo(viewer_time_zone(owner))).date()
    activity_type = ACTIVITY_FOR_EVENT[event.kind]
    existing = (
        Entry.objects.for_user(owner)
        .drafts()
        .filter(title=event.title, occurred_on=day, activity_type=activity_type)
        .first()
    )
    if existing:
        return existing
    draft = Entry(
        status=Status.DRAFT,
        title=event.title,
        activity_type=activity_type,
        platform=event.platform,
        url=event.url,
        hashtag=event.hashtag,
        occurred_on=day,
        duration_minutes=session.duration_minutes,
    )
    return save_entry(draft, owner=owner, capabilities=[], tag_names=[])
