"""How generating reflective summaries scales: the issue asks for 2,000 yearly summaries in two
minutes on one worker.

Builds practitioners with entries in a throwaway PostgreSQL database (DATABASE_URL): by
default 2,000 of them with 450 entries each, the issue's typical user, spread over three years
up to today, a tenth of them drafts, a quarter peer-reflected, two capabilities and a tag each.
Their reflections are sentences of the demo portfolio's, drawn at random, so they read and
recur as a practitioner's do. Fifty portfolios are made up that way; the other users hold
copies of them (made inside PostgreSQL, without their tags), which keeps building quick. Then,
in this one process, it times:

- requesting everyone's summary of the last whole CPD year (request_summary, the user's
  button),
- generating every one of them as a worker does (generate_summary, the domain function),
- the nightly request once a tenth of them have changed an entry (request_nightly_summaries),

and, with --worker, generating them all again through a real Celery worker (one process, the
solo pool) fed through Redis (REDIS_URL). It prints total seconds and milliseconds a summary.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python -m bench.summaries [--users 2000] [--entries 450] [--worker]
"""

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from core.cpd_year import cpd_year_containing  # noqa: E402
from core.models import WorkState  # noqa: E402
from portfolio.demo import DEMO_ENTRIES  # noqa: E402
from portfolio.models import ActivityType, Capability, Entry, Status, Tag  # noqa: E402
from summaries import summaries  # noqa: E402
from summaries.models import ReflectiveSummary  # noqa: E402

CHUNK = 5_000
PORTFOLIOS = 50  # made up one by one; the other users hold copies of them
YEARS = 3
TAGS = ("supervision", "safeguarding", "mental capacity", "social media", "research", "team")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


# Every sentence of each part of the demo reflections: the pools the entries draw from.
POOLS = {
    name: [s for entry in DEMO_ENTRIES for s in _sentences(getattr(entry, name))]
    for name in ("what_happened", "what_learned", "impact", "peer_learning")
}
TITLES = [entry.title for entry in DEMO_ENTRIES]


def _text(rng: random.Random, part: str, fewest: int, most: int) -> str:
    return " ".join(rng.choice(POOLS[part]) for _ in range(rng.randint(fewest, most)))


def create_users(count: int) -> list[User]:
    return User.objects.bulk_create(
        User(email=f"bench-{n}@example.org", specialism="adult mental health", employer="Leeds")
        for n in range(count)
    )


def build_portfolios(users: list[User], entry_count: int, today: dt.date) -> None:
    """``entry_count`` entries for each of ``users``, made up here, with a tag each."""
    rng = random.Random(2026)
    capabilities = list(Capability.objects.values_list("pk", flat=True))
    types = [t.value for t in ActivityType]
    first_day = today - dt.timedelta(days=365 * YEARS)
    days = (today - first_day).days
    entry_link = Entry.capabilities.through
    tag_link = Entry.tags.through
    pending: list[Entry] = []

    def flush() -> None:
        created = Entry.objects.bulk_create(pending)
        entry_link.objects.bulk_create(
            entry_link(entry_id=e.pk, capability_id=c)
            for e in created
            for c in rng.sample(capabilities, 2)
        )
        tag_link.objects.bulk_create(
            tag_link(entry_id=e.pk, tag_id=tags[e.owner_id][rng.randrange(len(TAGS))])
            for e in created
        )
        pending.clear()

    tags: dict[int, list[int]] = {}
    for tag in Tag.objects.bulk_create(Tag(owner=u, name=name) for u in users for name in TAGS):
        tags.setdefault(tag.owner_id, []).append(tag.pk)
    for user in users:
        for n in range(entry_count):
            peer = rng.random() < 0.25
            draft = rng.random() < 0.1
            pending.append(
                Entry(
                    owner=user,
                    status=Status.DRAFT if draft else Status.COMPLETE,
                    title=f"{rng.choice(TITLES)} ({n + 1})",
                    activity_type=rng.choice(types),
                    occurred_on=first_day + dt.timedelta(days=rng.randrange(days + 1)),
                    duration_minutes=rng.randrange(15, 240),
                    what_happened=_text(rng, "what_happened", 1, 2),
                    what_learned=_text(rng, "what_learned", 1, 3),
                    impact="" if draft else _text(rng, "impact", 1, 2),
                    is_peer_reflected=peer,
                    peer_role="team manager" if peer else "",
                    peer_learning=_text(rng, "peer_learning", 1, 2) if peer else "",
                )
            )
            if len(pending) >= CHUNK:
                flush()
    if pending:
        flush()


def copy_portfolios(users: list[User], templates: list[User]) -> None:
    """Give each of ``users`` the entries (and their capabilities) of one of ``templates``,
    in turn, copied inside PostgreSQL: much quicker than building them all in Python."""
    columns = [
        f.column for f in Entry._meta.concrete_fields if f.name not in ("id", "owner", "source_key")
    ]
    listed = ", ".join(connection.ops.quote_name(c) for c in columns)
    picked = ", ".join(f"e.{connection.ops.quote_name(c)}" for c in columns)
    link = Entry.capabilities.through._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(users), 100):
            batch = users[start : start + 100]
            owners = [u.pk for u in batch]
            sources = [templates[(start + n) % len(templates)].pk for n in range(len(batch))]
            # The copy remembers its original in source_key, to copy its links next.
            cursor.execute(
                f"""INSERT INTO {Entry._meta.db_table} (owner_id, source_key, {listed})
                SELECT m.owner_id, 'bench:' || e.id, {picked}
                FROM {Entry._meta.db_table} e
                JOIN unnest(%s::bigint[], %s::bigint[]) AS m(owner_id, template_id)
                  ON e.owner_id = m.template_id""",
                [owners, sources],
            )
            cursor.execute(
                f"""INSERT INTO {link} (entry_id, capability_id)
                SELECT n.id, l.capability_id
                FROM {Entry._meta.db_table} n
                JOIN {link} l ON l.entry_id = substr(n.source_key, 7)::bigint
                WHERE n.owner_id = ANY(%s)""",
                [owners],
            )
        cursor.execute(f"ANALYZE {Entry._meta.db_table}; ANALYZE {link}")


def timed(label: str, count: int, work: Callable[[], object]) -> object:
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = work()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    per = 1000 * seconds / count if count else 0
    said = f"{len(outcome):,} requested" if isinstance(outcome, list) else outcome
    print(f"{label:<34} {seconds:>8.1f} {cpu:>7.1f} {per:>9.1f}  {said}")
    return outcome


def request_all(users: list[User], year) -> list[int]:
    enqueue = summaries._enqueue
    summaries._enqueue = lambda summary_id: None  # generated below, in this process
    try:
        return [summaries.request_summary(user, year)[0].pk for user in users]
    finally:
        summaries._enqueue = enqueue


def generate_all(ids: list[int], today: dt.date) -> str:
    done = sum(summaries.generate_summary(pk, last_try=True, today=today) for pk in ids)
    return f"{done:,} generated"


def through_a_worker(ids: list[int]) -> str:
    """Queue every summary again and let one Celery worker (solo pool) generate them."""
    from summaries.tasks import generate_summary

    ReflectiveSummary.objects.filter(pk__in=ids).update(state=WorkState.QUEUED, attempts=0)
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cpd_portal",
            "worker",
            "--pool=solo",
            "-l",
            "WARNING",
        ],
        env=environment,
    )
    try:
        for pk in ids:
            generate_summary.delay(pk)
        queued = ReflectiveSummary.objects.filter(pk__in=ids).exclude(state=WorkState.DONE)
        while queued.exists():
            if worker.poll() is not None:
                raise RuntimeError("the worker stopped")
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(30)
    return f"{len(ids):,} generated by one worker (its start-up included)"


def _database_url() -> str:
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def nightly(users: list[User]) -> str:
    """A tenth of the users change an entry, then the nightly request runs."""
    changed = users[::10]
    touched = [
        Entry.objects.for_user(user).complete().values("pk")[:1].get()["pk"] for user in changed
    ]
    Entry.objects.filter(pk__in=touched).update(updated_at=timezone.now() + dt.timedelta(seconds=1))
    enqueue = summaries._enqueue
    summaries._enqueue = lambda summary_id: None
    try:
        queued = summaries.request_nightly_summaries()
    finally:
        summaries._enqueue = enqueue
    return f"{queued:,} queued ({len(changed):,} users changed an entry)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--entries", type=int, default=450, help="per user, over three years")
    parser.add_argument("--worker", action="store_true", help="also through a Celery worker")
    arguments = parser.parse_args()
    if arguments.worker and not settings.CELERY_BROKER_URL.startswith("redis"):
        parser.error("--worker needs REDIS_URL")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(arguments.users, arguments.entries, worker=arguments.worker)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(user_count: int, entry_count: int, *, worker: bool) -> None:
    today = timezone.localdate()
    year = cpd_year_containing(today).previous()  # the last whole year
    started = time.perf_counter()
    users = create_users(user_count)
    build_portfolios(users[:PORTFOLIOS], entry_count, today)
    copy_portfolios(users[PORTFOLIOS:], users[:PORTFOLIOS])
    in_year = summaries.included_entries(users[0], year).count()
    print(
        f"{user_count:,} users × {entry_count:,} entries built in "
        f"{time.perf_counter() - started:.0f} s; the first user's summary of {year.label} "
        f"covers {in_year} complete entries"
    )
    print(f"{'step':<34} {'seconds':>8} {'CPU s':>7} {'ms each':>9}  outcome")
    ids = timed("request (request_summary)", user_count, lambda: request_all(users, year))
    timed("generate (domain function)", user_count, lambda: generate_all(ids, today))
    timed("nightly request", user_count, lambda: nightly(users))
    if worker:
        timed("generate (one Celery worker)", user_count, lambda: through_a_worker(ids))


if __name__ == "__main__":
    main()
