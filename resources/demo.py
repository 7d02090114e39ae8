"""Demo data for the library: resources, curated lists and events drawn from the project's
seed texts (Community Care's CareSpace, the Knowledge Hub communities of practice, the
#SWSCmedia and #lgovsm chats, BASW's and the regulator's CPD pages), with real public links.

Event times are placed around the day the demo is loaded, so there is always a session to
say "I took part" in and one to look forward to. Safe to load again: what exists is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from portfolio.models import Capability, Platform

from .curation import add_to_list, save_resource
from .models import (
    CuratedList,
    Event,
    EventKind,
    ReadingListEntry,
    Recurrence,
    Resource,
    ResourceKind,
    Suggestion,
)

K, P = ResourceKind, Platform
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


DEMO_RESOURCES = [
    DemoResource(
        "Community Care and its CareSpace forum",
        K.COMMUNITY,
        "https://www.communitycare.co.uk/",
        "Social work news and analysis, and the CareSpace forum where practitioners argued "
        "out questions such as whether to write online under their own names. An open forum: "
        "different voices join in, so *sort the wheat from the chaff*.",
        source="Community Care",
        platform=P.FORUM,
        capabilities=("PCF8", "SWE4"),
        topics=("forums", "social media"),
    ),
    DemoResource(
        "Knowledge Hub communities of practice",
        K.COMMUNITY,
        "https://khub.net/",
        "Free discussion groups for public services, the successor to the Communities of "
        "Practice for Public Service. Frontline social workers recommend them for free "
        "webinars and groups on social care practice.",
        source="Knowledge Hub",
        platform=P.FORUM,
        capabilities=("PCF5", "PCF8", "SWE4"),
        topics=("communities of practice", "webinars"),
    ),
    DemoResource(
        "#SWSCmedia: social work and social care chat",
        K.HASHTAG,
        "https://x.com/hashtag/SWSCmedia",
        "A live Twitter chat for social work and social care: an hour of questions and "
        "answers between students, academics, practitioners and people who use services. "
        "Its November 2011 chat took on social media in social work education.",
        source="SWSCmedia",
        platform=P.X,
        hashtag="SWSCmedia",
        capabilities=("PCF6", "PCF9", "SWE4"),
        topics=("live chats", "social media"),
    ),
    DemoResource(
        "#lgovsm: local government social media chat",
        K.HASHTAG,
        "https://x.com/hashtag/lgovsm",
        "The local government social media chat; one session took social media in social "
        "care as its theme, a good background to how councils think about it.",
        platform=P.X,
        hashtag="lgovsm",
        capabilities=("PCF8",),
        topics=("live chats", "social media"),
    ),
    DemoResource(
        "Social Work England: continuing professional development",
        K.POLICY,
        "https://www.socialworkengland.org.uk/cpd/",
        "The regulator's own guidance on CPD: at least two pieces each registration year, "
        "one of them discussed with a peer, recorded by 30 November.",
        source="Social Work England",
        platform=P.WEBSITE,
        capabilities=("SWE4",),
        topics=("cpd planning", "regulation"),
    ),
    DemoResource(
        "Social Work England: professional standards",
        K.POLICY,
        "https://www.socialworkengland.org.uk/standards/professional-standards/",
        "The six professional standards; standard 4 is about maintaining your CPD.",
        source="Social Work England",
        platform=P.WEBSITE,
        capabilities=("SWE4", "SWE5"),
        topics=("regulation",),
    ),
    DemoResource(
        "BASW: the Professional Capabilities Framework",
        K.POLICY,
        "https://www.basw.co.uk/professional-development/professional-capabilities-framework-pcf",
        "BASW's home for the PCF and its guidance on professional development: CPD as a "
        "shared responsibility between practitioner and employer.",
        source="British Association of Social Workers",
        platform=P.WEBSITE,
        capabilities=("PCF1", "PCF9"),
        topics=("cpd planning",),
    ),
    DemoResource(
        "Mental Capacity Act Code of Practice",
        K.POLICY,
        "https://www.gov.uk/government/publications/mental-capacity-act-code-of-practice",
        "The statutory guidance on the Mental Capacity Act 2005: the five principles, "
        "assessing capacity and working out best interests.",
        source="GOV.UK",
        platform=P.WEBSITE,
        capabilities=("PCF5", "SWE1"),
        topics=("mental capacity",),
    ),
    DemoResource(
        "Mental Health Act 1983: Code of Practice",
        K.POLICY,
        "https://www.gov.uk/government/publications/code-of-practice-mental-health-act-1983",
        "Statutory guidance for professionals carrying out duties under the Mental Health "
        "Act, AMHPs among them.",
        source="GOV.UK",
        platform=P.WEBSITE,
        capabilities=("PCF5", "PCF4"),
        topics=("mental health act",),
    ),
    DemoResource(
        "SCIE: social care learning and e-learning",
        K.WEBINAR,
        "https://www.scie.org.uk/",
        "The Social Care Institute for Excellence: guidance, e-learning and films, including "
        "a well-used set on the Mental Capacity Act.",
        source="SCIE",
        platform=P.WEBSITE,
        capabilities=("PCF5", "SWE4"),
        topics=("mental capacity", "e-learning"),
    ),
    DemoResource(
        "Research in Practice",
        K.WEBINAR,
        "https://www.researchinpractice.org.uk/",
        "Evidence for practice in children's and adults' services: webinars, briefings and "
        "learning resources.",
        source="Research in Practice",
        platform=P.WEBSITE,
        capabilities=("PCF5", "PCF6"),
        topics=("research", "webinars"),
    ),
    DemoResource(
        "The British Journal of Social Work",
        K.ARTICLE,
        "https://academic.oup.com/bjsw",
        "Peer-reviewed research across social work. Social media is not peer reviewed; "
        "this is where to check what a thread claims.",
        source="Oxford University Press",
        platform=P.WEBSITE,
        capabilities=("PCF5", "PCF6"),
        topics=("research", "critical appraisal"),
    ),
    DemoResource(
        "Skills for Care",
        K.WEBINAR,
        "https://www.skillsforcare.org.uk/",
        "Workforce development for adult social care, including support for newly qualified "
        "social workers in their assessed first year (ASYE).",
        source="Skills for Care",
        platform=P.WEBSITE,
        capabilities=("PCF1", "PCF8"),
        topics=("ASYE",),
    ),
    DemoResource(
        "Social Work England on X",
        K.SOCIAL_ACCOUNT,
        "https://x.com/SocialWorkEng",
        "The regulator's announcements, including renewal and CPD reminders.",
        source="Social Work England",
        platform=P.X,
        capabilities=("SWE4",),
        topics=("regulation", "social media"),
    ),
    DemoResource(
        "BASW on X",
        K.SOCIAL_ACCOUNT,
        "https://x.com/BASW_UK",
        "The professional association's news, campaigns and events.",
        source="British Association of Social Workers",
        platform=P.X,
        capabilities=("PCF1", "PCF9"),
        topics=("social media",),
    ),
    DemoResource(
        "Community Care on X",
        K.SOCIAL_ACCOUNT,
        "https://x.com/CommunityCareUK",
        "The magazine's stories as they are published; it once curated a list of “100 "
        "social care tweeps you need to follow”.",
        source="Community Care",
        platform=P.X,
        capabilities=("PCF8",),
        topics=("social media",),
    ),
]

DEMO_LISTS = [
    (
        "Getting started with social media for CPD",
        "getting-started-social-media",
        "For anyone who has never joined a chat or a forum. Start small, follow the "
        "conversation before joining it, and never write anything that could identify a "
        "person who uses services.",
        [
            (
                "https://x.com/hashtag/SWSCmedia",
                "Lurk through one chat first: read the "
                "questions and replies, then join in with one answer next time.",
            ),
            (
                "https://khub.net/",
                "Free groups and webinars; the most recommended starting point in the seed posts.",
            ),
            (
                "https://www.communitycare.co.uk/",
                "News to keep current, and a forum where the debate about anonymity played out.",
            ),
            (
                "https://x.com/hashtag/lgovsm",
                "How councils think about social media: useful before you post as a practitioner.",
            ),
        ],
    ),
    (
        "Mental Health Act and Mental Capacity Act",
        "mha-and-mca",
        "The codes of practice and learning that AMHPs and adult social workers return to.",
        [
            (
                "https://www.gov.uk/government/publications/mental-capacity-act-code-of-practice",
                "Read the chapter on best interests alongside your own last assessment.",
            ),
            (
                "https://www.gov.uk/government/publications/code-of-practice-mental-health-act-1983",
                "The guidance every AMHP is expected to know.",
            ),
            ("https://www.scie.org.uk/", "Short films and e-learning on the MCA principles."),
            ("https://academic.oup.com/bjsw", "For the research behind what you read online."),
        ],
    ),
    (
        "Accounts worth following",
        "accounts-worth-following",
        "A short, curated start to a professional feed: add people with lived experience "
        "and frontline practitioners of your own.",
        [
            ("https://x.com/SocialWorkEng", "Renewal dates and CPD reminders from the regulator."),
            ("https://x.com/BASW_UK", "The profession's voice: campaigns, events, guidance."),
            ("https://x.com/CommunityCareUK", "The sector's news as it breaks."),
        ],
    ),
]


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
    for title, slug, introduction, items in DEMO_LISTS:
        curated_list, created = CuratedList.objects.get_or_create(
            slug=slug, defaults={"title": title, "introduction": introduction}
        )
        if created:
            for url, note in items:
                add_to_list(curated_list, resources[url], note)


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
