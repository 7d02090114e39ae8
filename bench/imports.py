"""How importing a large X archive scales: the issue asks for 50,000 tweets in under 10 s.

Writes an X archive of generated tweets (live chats on a few hashtags in evening sessions,
posts sharing links, retweets with and without links, replies, passing remarks) into a
temporary directory, then runs each step of an import on it in turn. For each step it prints
the wall time, the CPU time (steadier on a busy machine), the peak Python heap (tracemalloc,
from a second run, since tracing slows the first) and the process's peak resident set size
so far. The confirm step is timed on an import staged before it, untimed.

    .venv/bin/python -m bench.imports [--tweets 50000] [--steps confirm]

To measure another step, add it to STEPS with what it needs made from the archive's path.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.export import WORDS  # noqa: E402
from cpd_portal.celery import app as celery_app  # noqa: E402
from imports.importers.base import ImportOptions  # noqa: E402
from imports.importers.twitter import parse_x_archive  # noqa: E402

CHAT_HASHTAGS = ("SWSCmedia", "lgovsm", "MHChat", "NQSWchat")
LINKS = (
    "https://www.communitycare.co.uk/2024/03/12/thresholds-and-early-help/",
    "https://www.basw.co.uk/resources/capabilities-framework",
    "https://socialworkerblog.wordpress.com/2024/01/05/supervision/",
    "https://www.scie.org.uk/mca/practice/assessing-capacity/",
    "https://www.youtube.com/watch?v=reflective-practice",
    "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
    "https://x.com/someone/status/1760000000000000000",
)


def write_x_archive(path: Path, tweet_count: int, seed: int) -> None:
    """A ZIP at ``path`` shaped like the archive X sends, holding ``tweet_count`` tweets."""
    rng = random.Random(seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data/account.js",
            'window.YTD.account.part0 = [{"account": {"username": "bench_sw", '
            '"accountId": "1000", "createdAt": "2012-01-01T09:00:00.000Z"}}]',
        )
        with archive.open("data/tweets.js", "w") as tweets:
            tweets.write(b"window.YTD.tweets.part0 = [\n")
            for n, item in enumerate(_timeline(rng, tweet_count)):
                tweets.write((b",\n" if n else b"") + json.dumps(item, indent=2).encode())
            tweets.write(b"\n]")


def _timeline(rng: random.Random, tweet_count: int):
    """Tweets in time order: an evening chat now and then, single posts in between."""
    when = dt.datetime(2016, 1, 4, 9, tzinfo=dt.UTC)
    tweet_id = 700_000_000_000_000_000
    written = 0
    while written < tweet_count:
        if rng.random() < 0.08:
            when = when.replace(hour=20, minute=0) + dt.timedelta(days=1)
            tag = rng.choice(CHAT_HASHTAGS)
            for _ in range(min(rng.randint(4, 14), tweet_count - written)):
                when += dt.timedelta(minutes=rng.randint(1, 9))
                tweet_id += rng.randint(1, 10**9)
                yield _tweet(rng, tweet_id, when, tags=(tag,), reply=rng.random() < 0.4)
                written += 1
            continue
        when += dt.timedelta(minutes=rng.randint(30, 720))
        tweet_id += rng.randint(1, 10**9)
        kind = rng.random()
        yield _tweet(
            rng,
            tweet_id,
            when,
            links=(rng.choice(LINKS),) if kind < 0.4 or 0.6 < kind < 0.7 else (),
            retweet=0.6 < kind < 0.8,
            reply=0.8 < kind < 0.9,
        )
        written += 1


def _tweet(
    rng: random.Random,
    tweet_id: int,
    when: dt.datetime,
    *,
    tags: tuple[str, ...] = (),
    links: tuple[str, ...] = (),
    retweet: bool = False,
    reply: bool = False,
) -> dict:
    short = [f"https://t.co/{rng.getrandbits(40):x}" for _ in links]
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
    text = ("RT @CommunityCare: " if retweet else "") + ("@colleague " if reply else "") + words
    text += " &amp; " + " ".join([f"#{tag}" for tag in tags] + short)
    return {
        "tweet": {
            "edit_info": {"initial": {"editTweetIds": [str(tweet_id)], "editable": False}},
            "retweeted": False,
            "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
            "entities": {
                "hashtags": [{"text": tag, "indices": ["0", "10"]} for tag in tags],
                "symbols": [],
                "user_mentions": [{"name": "Colleague", "screen_name": "colleague", "id_str": "77"}]
                if reply
                else [],
                "urls": [
                    {"url": s, "expanded_url": link, "display_url": link[8:40], "indices": []}
                    for s, link in zip(short, links, strict=True)
                ],
            },
            "display_text_range": ["0", str(len(text))],
            "favorite_count": str(rng.randint(0, 40)),
            "in_reply_to_status_id_str": str(tweet_id - 5) if reply else None,
            "id_str": str(tweet_id),
            "id": str(tweet_id),
            "truncated": False,
            "retweet_count": str(rng.randint(0, 10)),
            "favorited": False,
            "full_text": text,
            "lang": "en",
            "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
        }
    }


def parse_step(path: Path) -> str:
    with path.open("rb") as source:
        entries = parse_x_archive(source, ImportOptions(time_zone=ZoneInfo("Europe/London")))
    chats = sum(1 for entry in entries if entry.hashtag)
    return f"{len(entries)} entries, {chats} of them chats"


def _staged(path: Path):
    """A new user's import of the archive, staged for review as a request stages it when no
    worker is configured (the task runs in-process)."""
    from django.core.files import File
    from django.test import override_settings

    from accounts.models import User
    from imports.models import ImportSource
    from imports.staging import start_import

    private = {"location": path.parent / "private"}
    storages = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": private},
    }
    # No password: hashing one would add a quarter of a second to every timed step.
    owner = User.objects.create_user(f"bench-{time.monotonic_ns()}@example.org")
    with override_settings(STORAGES=storages), path.open("rb") as upload:
        batch = start_import(owner, source=ImportSource.X, upload=File(upload, name=path.name))
    batch.refresh_from_db()
    return batch


def stage_step(path: Path) -> str:
    """Parse, mark what is already in the log, store the proposals."""
    batch = _staged(path)
    return f"{batch.proposed_count} entries staged ({batch.get_state_display()})"


def confirm_step(batch) -> str:
    """Confirm every proposal of a staged import into the log (in one transaction, as the
    confirm button does); the staging before it is not timed."""
    from imports.staging import confirm_import

    confirm_import(batch)
    return f"{batch.created_count} entries created in the log"


def _as_it_is(path: Path) -> Path:
    return path


# Each step: what it needs, made untimed from the archive's path, and the step itself.
STEPS: list[tuple[str, Callable[[Path], Any], Callable[[Any], str]]] = [
    ("parse", _as_it_is, parse_step),
    ("stage", _as_it_is, stage_step),
    ("confirm", _staged, confirm_step),
]


def measure(
    prepare: Callable[[Path], Any], step: Callable[[Any], str], path: Path
) -> tuple[float, float, float, str]:
    given = prepare(path)
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = step(given)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    given = prepare(path)
    tracemalloc.start()
    step(given)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, cpu, peak / 1024 / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=50_000)
    parser.add_argument("--steps", nargs="+", choices=[name for name, *_ in STEPS])
    arguments = parser.parse_args()
    # Staging writes to a database: a throwaway one, as the tests use (PostgreSQL when
    # DATABASE_URL is set), with no worker, so the staging task runs in this process.
    celery_app.conf.task_always_eager = True
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(arguments.tweets, arguments.steps)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(tweet_count: int, only: list[str] | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="cpd-bench-") as directory:
        path = Path(directory) / "twitter-archive.zip"
        started = time.perf_counter()
        write_x_archive(path, tweet_count, seed=2026)
        print(
            f"archive: {tweet_count:,} tweets, {path.stat().st_size / 1024 / 1024:.1f} MiB "
            f"zipped, written in {time.perf_counter() - started:.1f} s"
        )
        print(f"{'step':<8} {'seconds':>8} {'CPU s':>6} {'heap MiB':>9} {'RSS MiB':>8}  outcome")
        for name, prepare, step in STEPS:
            if only and name not in only:
                continue
            seconds, cpu, heap, outcome = measure(prepare, step, path)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{name:<8} {seconds:>8.2f} {cpu:>6.2f} {heap:>9.0f} {rss:>8.0f}  {outcome}")


if __name__ == "__main__":
    main()
