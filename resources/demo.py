"""Demo data for the library: resources, curated lists and events drawn from the project's
seed texts (Community Care's CareSpace, the Knowledge Hub communities of practice, the
#SWSCmedia and #lgovsm chats, BASW's and the regulator's CPD pages), with real public links.

Event times are placed around the day the demo is loaded, so there is always a session to
say "I took part" in and one to look forward to. Safe to load again: what exists is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from portfolio.models import Capability, Platform

from .curation import add_to_list, save_resource, set_publication
from .models import (
    CuratedList,
    Event,
    EventKind,
    Publication,
    ReadingListEntry,
    Recurrence,
    Resource,
    Suggestion,
)

P = Platform
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class DemoResource:
    title: str
    kind: str
    url: str
    summary: str
    source: str = ""
    platform: str = ""
    hashtag: str = ""
    capabilities: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoList:
    title: str
    slug: str
    introduction: str
    items: list[dict[str, str]]  # url (of a resource above) and the curator's note


def _read_demo_data() -> tuple[list[DemoResource], list[DemoList]]:
    data = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))
    resources = [
        DemoResource(
            **{
                **item,
                "capabilities": tuple(item.get("capabilities", ())),
                "topics": tuple(item.get("topics", ())),
            }
        )
        for item in data["resources"]
    ]
    return resources, [DemoList(**item) for item in data["lists"]]


# Data, not code: the library's resources and curated lists, in data/demo.json.
DEMO_RESOURCES, DEMO_LISTS = _read_demo_data()


def _load_resources() -> dict[str, Resource]:
    capabilities = {c.code: c for c in Capability.objects.all()}
    resources = {}
    for item in DEMO_RESOURCES:
        resource = Resource.objects.filter(url=item.url).first()
        if resource is None:
            resource = save_resource(
                Resource(
                    title=item.title,
                    kind=item.kind,
                    url=item.url,
                    summary=item.summary,
                    source=item.source,
                    platform=item.platform,
                    hashtag=item.hashtag,
                ),
                capabilities=[capabilities[c] for c in item.capabilities if c in capabilities],
                tag_names=list(item.topics),
            )
        resources[item.url] = resource
    return resources


def _load_lists(resources: dict[str, Resource]) -> None:
    for demo_list in DEMO_LISTS:
        curated_list, created = CuratedList.objects.get_or_create(
            slug=demo_list.slug,
            defaults={"title": demo_list.title, "introduction": demo_list.introduction},
        )
        if created:
            for item in demo_list.items:
                add_to_list(curated_list, resources[item["url"]], item["note"])
            set_publication(curated_list, Publication.PUBLISHED)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), LONDON)


def _weekday_before(day: dt.date, weekday: int, weeks: int) -> dt.date:
    """The ``weekday`` (0 is Monday) on or before ``day``, ``weeks`` weeks earlier."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7 + 7 * weeks)


def _first_weekday_of_month(day: dt.date, weekday: int) -> dt.date:
    first = day.replace(day=1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def _demo_events(today: dt.date) -> list[Event]:
    earlier_month = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    swscmedia_day = _first_weekday_of_month(earlier_month, 1)  # the first Tuesday
    lgovsm_day = _weekday_before(today, 3, weeks=3)  # a Thursday three weeks back
    webinar_day = today + dt.timedelta(days=12)
    workshop_day = today + dt.timedelta(days=26)
    return [
        Event(
            title="#SWSCmedia chat",
            kind=EventKind.LIVE_CHAT,
            description="An hour's live chat for social work and social care, open to "
            "students, practitioners, academics and people who use services. Follow the "
            "hashtag, answer the numbered questions as Q1, Q2 come up, and read back "
            "through the thread afterwards.",
            host="SWSCmedia",
            hashtag="SWSCmedia",
            url="https://x.com/hashtag/SWSCmedia",
            platform=P.X,
            starts_at=_at(swscmedia_day, 20),
            ends_at=_at(swscmedia_day, 21),
            recurrence=Recurrence.MONTHLY,
        ),
        Event(
            title="#lgovsm chat: social media in local government",
            kind=EventKind.LIVE_CHAT,
            description="A weekly chat about social media in councils; some weeks take "
            "social care as their theme.",
            hashtag="lgovsm",
            url="https://x.com/hashtag/lgovsm",
            platform=P.X,
            starts_at=_at(lgovsm_day, 20),
            ends_at=_at(lgovsm_day, 21),
            recurrence=Recurrence.WEEKLY,
        ),
        Event(
            title="Knowledge Hub webinar: strengths-based conversations in mental health",
            kind=EventKind.WEBINAR,
            description="Practitioners from a community of practice share how reordering "
            "the assessment conversation changed what people told them.",
            host="Knowledge Hub community of practice",
            url="https://khub.net/",
            platform=P.VIDEO_CALL,
            starts_at=_at(webinar_day, 12, 30),
            ends_at=_at(webinar_day, 13, 30),
        ),
        Event(
            title="Social media and CPD in social work: critical perspectives",
            kind=EventKind.WORKSHOP,
            description="A small workshop on the benefits and pitfalls of social media as "
            "CPD, live-tweeted for those without a place.",
            host="Social work academics and practitioners",
            hashtag="12thMW",
            platform=P.IN_PERSON,
            starts_at=_at(workshop_day, 14),
            ends_at=_at(workshop_day, 16, 30),
        ),
    ]


def _load_practitioner_extras(resources: dict[str, Resource]) -> None:
    """The demo practitioner's reading list and a suggestion waiting in the curators' queue."""
    practitioner = User.objects.filter(email="practitioner@example.org").first()
    if practitioner is None:
        return
    for url in ["https://khub.net/", "https://academic.oup.com/bjsw"]:
        ReadingListEntry.objects.get_or_create(owner=practitioner, resource=resources[url])
    Suggestion.objects.get_or_create(
        owner=practitioner,
        url="https://www.nationalelfservice.net/mental-health/",
        defaults={
            "title": "The Mental Elf",
            "reason": "Short, critical summaries of new mental health research: a quick way "
            "to check what a thread on social media claims.",
        },
    )


@transaction.atomic
def load_library_demo(today: dt.date) -> None:
    resources = _load_resources()
    _load_lists(resources)
    for event in _demo_events(today):
        if not Event.objects.filter(title=event.title).exists():
            event.save()
    _load_practitioner_extras(resources)
