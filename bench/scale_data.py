"""The data set of issue 12, built in bulk: thousands of practitioners with up to a million
entries over three CPD years, a library of published resources, some events, and one cohort
of sharing students with submissions.

Entries, their links, tags, users, resources and saves are written with COPY, one function per
table building each row as a dict of field values (a field a row leaves out takes the model's
default, so a column added later needs a value here only if its default is wrong). Anything
derived from those rows (tallies, fingerprints, stored search vectors) is recomputed after the
load by the functions in AFTER_BULK_LOAD, then the tables are analysed. The programme, cohort,
memberships and submissions are few, so they go through the portal's own functions (as the
demo data does: memberships have no function of their own short of an emailed invitation).

``build_data_set(ScaleSpec(...), today)`` is used by bench/scale.py, and at a tiny size by
tests/bench/test_scale_data.py so the builder cannot silently rot.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Role, User
from core.cpd_year import CpdYear, cpd_year_containing
from core.models import OutgoingEmail
from portfolio.models import ActivityType, Capability, Entry, Platform, Status, Tag
from portfolio.tallies import recount_everyone
from programmes.cohorts import add_cohort, create_programme
from programmes.errors import ActionRefused
from programmes.models import Membership
from programmes.submissions import submit
from resources.models import (
    Event,
    EventKind,
    ReadingListEntry,
    Recurrence,
    Resource,
    ResourceKind,
    ResourceTag,
)

# Recomputes of derived data, run once the bulk rows are in and before ANALYZE: a feature
# that keeps a figure beside the entries (a per-user tally, a duplicate fingerprint, a stored
# search vector) appends the function that computes it from scratch.
AFTER_BULK_LOAD: list[Callable[[], object]] = [recount_everyone]

# Searched for by the bench: a word most entries and resources hold, and one about 1 in 1,000
# holds (it appears nowhere in the source texts; RARE_SENTENCE puts it in).
COMMON_WORD = "social"
RARE_WORD = "ombudsman"
RARE_SENTENCE = "The ombudsman's report on a complaint about delay changed how I record decisions."
RARE_EVERY = 1_000
# The bench leader's authenticator-app key: a throwaway database's, never a real one.
BENCH_TOTP_SECRET = "BENCHBENCHBENCHBENCHBENCHBENCH23"

REPO = Path(__file__).resolve().parent.parent
# Five public posts (2011-2012) on social workers' CPD through social media, kept beside the
# repository where there is a copy; the demo data's own texts are enough without them.
SEED_DIRECTORIES = (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds"))

CHAT_HASHTAGS = ("SWSCmedia", "lgovsm", "MHChat", "NQSWchat", "SocialWorkChat")
PEER_ROLES = ("team manager", "fellow AMHP", "practice educator", "senior practitioner", "mentor")
TAG_NAMES = (
    "safeguarding",
    "mental health",
    "supervision",
    "social media",
    "ethics",
    "mental capacity",
    "strengths-based practice",
    "anti-racist practice",
    "children in need",
    "adult social care",
    "research",
    "leadership",
    "court skills",
    "cpd planning",
    "wellbeing",
    "domestic abuse",
)
PUBLISHERS = (
    "Community Care",
    "BASW",
    "Social Work England",
    "SCIE",
    "Research in Practice",
    "The Guardian Social Care Network",
    "Department for Education",
    "NHS England",
    "a practitioner's blog",
    "Open University",
)
FIRST_NAMES = ("Alex", "Sam", "Priya", "Tom", "Aisha", "Joe", "Mei", "Kwame", "Ruth", "Owen")
LAST_NAMES = ("Morgan", "Patel", "Hughes", "Okafor", "Clarke", "Nowak", "Evans", "Khan", "Reid")
# Entry types in roughly the proportions a social worker logs them.
TYPE_WEIGHTS = {
    ActivityType.TWEET_READ: 20,
    ActivityType.LIVE_CHAT: 10,
    ActivityType.BLOG_READ: 15,
    ActivityType.BLOG_WRITTEN: 3,
    ActivityType.FORUM: 8,
    ActivityType.WEBINAR: 12,
    ActivityType.COURSE: 8,
    ActivityType.READING: 12,
    ActivityType.PEER_DISCUSSION: 10,
    ActivityType.OTHER: 2,
}
TYPES = list(TYPE_WEIGHTS)
TYPE_CUMULATIVE_WEIGHTS = list(itertools.accumulate(TYPE_WEIGHTS.values()))
PLATFORM_BY_TYPE = {
    ActivityType.TWEET_READ: Platform.X,
    ActivityType.LIVE_CHAT: Platform.X,
    ActivityType.BLOG_READ: Platform.BLOG,
    ActivityType.BLOG_WRITTEN: Platform.BLOG,
    ActivityType.FORUM: Platform.FORUM,
    ActivityType.WEBINAR: Platform.WEBSITE,
    ActivityType.COURSE: Platform.IN_PERSON,
    ActivityType.READING: Platform.WEBSITE,
    ActivityType.PEER_DISCUSSION: Platform.IN_PERSON,
    ActivityType.OTHER: Platform.OTHER,
}


@dataclass(frozen=True)
class ScaleSpec:
    """How big the data set is. The defaults are the issue's: 2,000 users, most with 100-850
    entries, the one the bench measures with 450 and ten with 5,000, a million in all."""

    entries: int = 1_000_000
    users: int = 2_000
    heavy_users: int = 10
    heavy_entries: int = 5_000
    typical_entries: int = 450
    resources: int = 100_000
    events: int = 40
    cohort_students: int = 300
    submissions: int = 100
    seed: int = 12

    @classmethod
    def scaled(cls, entries: int, resources: int | None = None) -> ScaleSpec:
        """The issue's proportions at ``entries``: users, heavy users and (unless given)
        resources in proportion, the measured users as large as ever."""
        share = entries / cls.entries
        if resources is None:
            resources = max(100, round(cls.resources * share))
        heavy_users = max(1, round(cls.heavy_users * share))
        users = max(heavy_users + 2, round(cls.users * share))
        return cls(
            entries=entries,
            users=users,
            heavy_users=heavy_users,
            resources=resources,
            cohort_students=min(cls.cohort_students, users - heavy_users),
            submissions=min(cls.submissions, users - heavy_users),
        )


@dataclass(frozen=True)
class DataSet:
    """What the bench needs to find again in what was built."""

    typical_user: User
    heavy_user: User
    leader: User
    cohort_id: int
    resource_id: int
    event_id: int
    capability_id: int
    current_year: CpdYear
    previous_year: CpdYear


class Vocabulary:
    """Sentences and titles to write entries and resources from: the demo data's entries and
    resources, and the source posts when they are there."""

    def __init__(self) -> None:
        entries = json.loads((REPO / "portfolio/data/demo.json").read_text())["entries"]
        library = json.loads((REPO / "resources/data/demo.json").read_text())["resources"]
        texts = [e.get(name, "") for e in entries for name in ("what_happened", "what_learned")]
        texts += [e.get("impact", "") for e in entries] + [r["summary"] for r in library]
        for directory in SEED_DIRECTORIES:
            if directory.is_dir():
                texts += [path.read_text() for path in sorted(directory.glob("[0-9]*.txt"))]
                break
        self.sentences = sorted(
            {
                sentence
                for text in texts
                for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
                if 40 <= len(sentence) <= 300
            }
        )
        self.titles = sorted({e["title"] for e in entries} | {r["title"] for r in library})
        self.impacts = sorted({e["impact"] for e in entries if e.get("impact")})

    def text(self, rng: random.Random, most: int) -> str:
        return " ".join(rng.choices(self.sentences, k=rng.randint(1, most)))

    def title(self, rng: random.Random) -> str:
        """A demo title, or the opening of a sentence, as people title what they log."""
        if rng.random() < 0.5:
            return rng.choice(self.titles)
        words = rng.choice(self.sentences).split()
        return " ".join(words[: rng.randint(4, 10)]).rstrip(",.;:")[:200]


# --- Writing rows -----------------------------------------------------------------------------


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def copy_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """COPY ``rows`` (field values by attname, ids included) into ``model``'s table; a field a
    row leaves out takes its default; the database computes generated columns (the library's
    search vector) itself. Moves the table's id sequence past the rows."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    per_row_defaults = [f for f in fields if f.has_default() and callable(f.default)]
    defaults = {f.attname: f.get_default() for f in fields if f not in per_row_defaults}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                for field in per_row_defaults:
                    row.setdefault(field.attname, field.default())
                copy.write_row(
                    [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
                )
                count += 1
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    return count


# --- One function per table -------------------------------------------------------------------


def user_row(pk: int, n: int, now: dt.datetime, password: str, role: str) -> dict[str, Any]:
    return {
        "id": pk,
        "password": password,
        "email": f"{role.replace('_', '-')}{n}@bench.example.org",
        "display_name": f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n % len(LAST_NAMES)]}",
        "role": role,
        "specialism": "Adult mental health" if n % 2 else "Children in need",
        "employer": "Northshire County Council",
        "time_zone": "Europe/London",
        "date_joined": now,
    }


def tag_row(pk: int, owner_id: int, name: str) -> dict[str, Any]:
    return {"id": pk, "owner_id": owner_id, "name": name}


def resource_row(pk: int, n: int, rng: random.Random, words: Vocabulary, now: dt.datetime):
    kind = rng.choice(ResourceKind.values)
    summary = words.text(rng, 4)
    if n % RARE_EVERY == RARE_EVERY // 2:
        summary += " " + RARE_SENTENCE
    return {
        "id": pk,
        "title": f"{words.title(rng)} ({n})",
        "kind": kind,
        "url": f"https://library.bench.example.org/{kind}/{n}",
        "summary": summary,
        "source": rng.choice(PUBLISHERS),
        "platform": rng.choice(Platform.values) if rng.random() < 0.5 else "",
        "hashtag": rng.choice(CHAT_HASHTAGS) if kind == ResourceKind.HASHTAG else "",
        "status": "published",
        "created_at": now,
        "updated_at": now,
    }


def entry_row(
    pk: int,
    n: int,
    owner_id: int,
    rng: random.Random,
    words: Vocabulary,
    day: dt.date,
    resource_ids: range,
) -> dict[str, Any]:
    """Entry ``n`` of the whole set: every tenth a draft (with no impact yet), every fourth
    discussed with a peer, one in 1,000 mentioning RARE_WORD. Complete entries hold the three
    parts of the reflection and a time, as the database's CHECK requires."""
    activity_type = rng.choices(TYPES, cum_weights=TYPE_CUMULATIVE_WEIGHTS)[0]
    is_draft = n % 10 == 0
    peer = n % 4 == 1
    what_learned = words.text(rng, 2)
    if n % RARE_EVERY == RARE_EVERY // 2:
        what_learned += " " + RARE_SENTENCE
    created = dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)), dt.UTC)
    return {
        "id": pk,
        "owner_id": owner_id,
        "status": Status.DRAFT if is_draft else Status.COMPLETE,
        "activity_type": activity_type,
        "platform": PLATFORM_BY_TYPE[activity_type],
        "title": words.title(rng),
        "url": f"https://www.example.org/cpd/{n}" if rng.random() < 0.6 else "",
        "occurred_on": day,
        "duration_minutes": None if is_draft and n % 20 == 0 else rng.choice((15, 30, 45, 60, 90)),
        "hashtag": rng.choice(CHAT_HASHTAGS) if activity_type == ActivityType.LIVE_CHAT else "",
        "what_happened": words.text(rng, 2),
        "what_learned": what_learned,
        "impact": "" if is_draft else rng.choice(words.impacts),
        "is_peer_reflected": peer,
        "peer_role": rng.choice(PEER_ROLES) if peer else "",
        "peer_learning": words.text(rng, 2) if peer else "",
        "resource_id": rng.choice(resource_ids) if resource_ids and rng.random() < 0.05 else None,
        "created_at": created,
        "updated_at": created,
    }


def link_row(pk: int, **ends: int) -> dict[str, Any]:
    """A row of a many-to-many table: its id and the ids at either end."""
    return {"id": pk, **ends}


def reading_list_row(pk: int, owner_id: int, resource_id: int, now: dt.datetime):
    return {"id": pk, "owner_id": owner_id, "resource_id": resource_id, "saved_at": now}


# --- The data set -----------------------------------------------------------------------------


def portfolio_sizes(spec: ScaleSpec, rng: random.Random) -> list[int]:
    """Entries per user: the typical user first, then the heavy ones, then the rest drawn
    from 100-850 and scaled so the whole comes to ``spec.entries`` exactly."""
    fixed = [spec.typical_entries] + [spec.heavy_entries] * spec.heavy_users
    others = spec.users - len(fixed)
    remaining = spec.entries - sum(fixed)
    if others < 1 or remaining < others:
        raise ValueError(f"{spec} leaves too few entries or users for the ordinary users.")
    draws = [rng.randint(100, 850) for _ in range(others)]
    sizes = [max(1, round(d * remaining / sum(draws))) for d in draws]
    step = 1 if sum(sizes) < remaining else -1
    for i in itertools.cycle(range(others)):
        if sum(sizes) == remaining:
            break
        if sizes[i] + step >= 1:
            sizes[i] += step
    return fixed + sizes


def _days(first: dt.date, last: dt.date, rng: random.Random, count: int) -> list[dt.date]:
    span = (last - first).days
    return sorted(first + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))


def _users(spec: ScaleSpec, now: dt.datetime) -> tuple[list[int], int]:
    password = make_password(None)  # nobody logs in with a password: the bench makes sessions
    first = next_id(User)
    practitioners = list(range(first, first + spec.users))
    leader = first + spec.users
    copy_rows(
        User,
        itertools.chain(
            (
                user_row(pk, n, now, password, Role.PRACTITIONER)
                for n, pk in enumerate(practitioners)
            ),
            [user_row(leader, 0, now, password, Role.PROGRAMME_LEADER)],
        ),
    )
    return practitioners, leader


def _library(spec: ScaleSpec, rng: random.Random, words: Vocabulary, now, capabilities) -> range:
    first = next_id(Resource)
    resource_ids = range(first, first + spec.resources)
    copy_rows(Resource, (resource_row(pk, n, rng, words, now) for n, pk in enumerate(resource_ids)))
    topics = [ResourceTag.objects.get_or_create(name=name)[0].pk for name in TAG_NAMES]
    links = itertools.count(next_id(Resource.capabilities.through))
    copy_rows(
        Resource.capabilities.through,
        (
            link_row(next(links), resource_id=pk, capability_id=c)
            for pk in resource_ids
            for c in rng.sample(capabilities, rng.randint(1, 2))
        ),
    )
    links = itertools.count(next_id(Resource.tags.through))
    copy_rows(
        Resource.tags.through,
        (
            link_row(next(links), resource_id=pk, resourcetag_id=t)
            for pk in resource_ids
            for t in rng.sample(topics, rng.randint(1, 2))
        ),
    )
    return resource_ids


def _events(spec: ScaleSpec, rng: random.Random, words: Vocabulary, now: dt.datetime) -> int:
    """Weekly evening chats that started a while ago, and one-off webinars either side of now."""
    events = []
    for n in range(spec.events):
        weekly = n % 2 == 0
        starts = now.replace(hour=20, minute=0, second=0, microsecond=0) + dt.timedelta(
            days=rng.randint(-400, -30) if weekly else rng.randint(-60, 90)
        )
        events.append(
            Event(
                title=f"{rng.choice(CHAT_HASHTAGS)} chat" if weekly else words.title(rng),
                kind=EventKind.LIVE_CHAT if weekly else EventKind.WEBINAR,
                description=words.text(rng, 3),
                host=rng.choice(PUBLISHERS),
                hashtag=rng.choice(CHAT_HASHTAGS) if weekly else "",
                url=f"https://events.bench.example.org/{n}",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
                recurrence=Recurrence.WEEKLY if weekly else Recurrence.NONE,
            )
        )
    return Event.objects.bulk_create(events)[0].pk


def _portfolios(spec, rng, words, users, sizes, resource_ids, capabilities, first_day, today):
    """Each user's tags, entries, and the entries' capabilities (two each) and tags (0-3)."""
    tag_ids = itertools.count(next_id(Tag))
    tags_of = {user: [next(tag_ids) for _ in range(6)] for user in users}
    copy_rows(
        Tag,
        (
            tag_row(pk, user, name)
            for user, pks in tags_of.items()
            for pk, name in zip(pks, rng.sample(TAG_NAMES, 6), strict=True)
        ),
    )
    first_entry = next_id(Entry)
    owners = [user for user, size in zip(users, sizes, strict=True) for _ in range(size)]

    def entries() -> Iterator[dict[str, Any]]:
        n = 0
        for user, size in zip(users, sizes, strict=True):
            for day in _days(first_day, today, rng, size):
                yield entry_row(first_entry + n, n, user, rng, words, day, resource_ids)
                n += 1

    copy_rows(Entry, entries())
    entry_ids = range(first_entry, first_entry + len(owners))
    links = itertools.count(next_id(Entry.capabilities.through))
    copy_rows(
        Entry.capabilities.through,
        (
            link_row(next(links), entry_id=pk, capability_id=c)
            for pk in entry_ids
            for c in rng.sample(capabilities, 2)
        ),
    )
    links = itertools.count(next_id(Entry.tags.through))
    copy_rows(
        Entry.tags.through,
        (
            link_row(next(links), entry_id=pk, tag_id=t)
            for pk, owner in zip(entry_ids, owners, strict=True)
            for t in rng.sample(tags_of[owner], rng.choice((0, 1, 1, 2, 2, 3)))
        ),
    )


def _saves(rng: random.Random, users: list[int], resource_ids: range, now) -> None:
    """Each user has saved a few resources to read later."""
    pks = itertools.count(next_id(ReadingListEntry))
    copy_rows(
        ReadingListEntry,
        (
            reading_list_row(next(pks), user, resource, now)
            for user in users
            for resource in rng.sample(resource_ids, min(len(resource_ids), rng.randint(2, 12)))
        ),
    )


def _cohort(spec: ScaleSpec, students: list[int], leader_id: int, year: CpdYear) -> tuple[int, int]:
    """A programme led by the leader, one cohort of sharing students, and submissions of the
    current CPD year from the first of them."""
    leader = User.objects.get(pk=leader_id)
    with transaction.atomic():
        # A leader uses the site only with a second factor set up (accounts/mfa.py).
        TOTP.activate(leader, BENCH_TOTP_SECRET)
        programme = create_programme(
            name="Advanced practice (bench)", description="", created_by=leader
        )
        cohort = add_cohort(programme, f"{year.start.year} intake")
        memberships = Membership.objects.bulk_create(
            Membership(cohort=cohort, student_id=student) for student in students
        )
        submitted = 0
        for membership in memberships:
            if submitted == spec.submissions:
                break
            try:
                submit(membership, year, note="My CPD year so far.")
            except ActionRefused:  # nothing complete in the year yet: only at tiny sizes
                continue
            submitted += 1
        # Nobody reads the bench's email: none is owed, as in the demo.
        OutgoingEmail.objects.filter(sent_at=None).delete()
    return cohort.pk, submitted


def recompute_derived_data() -> None:
    """What AFTER_BULK_LOAD computes, then fresh statistics for the planner."""
    for recompute in AFTER_BULK_LOAD:
        recompute()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def build_data_set(
    spec: ScaleSpec, today: dt.date, progress: Callable[[str], None] = lambda step: None
) -> DataSet:
    """Write the data set into the default database, then recompute what derives from it and
    ANALYZE. ``progress`` hears the name of each step as it finishes."""
    rng = random.Random(spec.seed)
    now = timezone.now()
    words = Vocabulary()
    capabilities = list(Capability.objects.values_list("pk", flat=True))
    current_year = cpd_year_containing(today)
    first_day = current_year.previous().previous().start

    users, leader = _users(spec, now)
    progress(f"{spec.users + 1:,} users")
    resource_ids = _library(spec, rng, words, now, capabilities)
    _events(spec, rng, words, now)
    progress(f"{spec.resources:,} resources and {spec.events} events")
    sizes = portfolio_sizes(spec, rng)
    _portfolios(spec, rng, words, users, sizes, resource_ids, capabilities, first_day, today)
    progress(f"{spec.entries:,} entries with their capabilities and tags")
    _saves(rng, users, resource_ids, now)
    # The cohort: the typical user and the ordinary users after the heavy ones.
    students = [users[0], *users[1 + spec.heavy_users :]][: spec.cohort_students]
    _, submitted = _cohort(spec, students, leader, current_year)
    progress(f"a cohort of {len(students)} with {submitted} submissions")
    recompute_derived_data()
    progress("derived data and ANALYZE")
    return find_data_set(today)


def find_data_set(today: dt.date) -> DataSet:
    """The users, cohort, resource and event the bench measures, in a data set built before."""
    practitioners = User.objects.filter(role=Role.PRACTITIONER).order_by("pk")
    resources = Resource.objects.published().order_by("pk")
    current_year = cpd_year_containing(today)
    return DataSet(
        typical_user=practitioners[0],
        heavy_user=practitioners[1],
        leader=User.objects.filter(role=Role.PROGRAMME_LEADER).order_by("pk").last(),
        cohort_id=Membership.objects.values_list("cohort_id", flat=True).last(),
        resource_id=resources[resources.count() // 2].pk,
        event_id=Event.objects.order_by("pk").values_list("pk", flat=True).first(),
        capability_id=Capability.objects.values_list("pk", flat=True).first(),
        current_year=current_year,
        previous_year=current_year.previous(),
    )
