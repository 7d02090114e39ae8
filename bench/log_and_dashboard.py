"""How the log and the dashboard scale with the size of a portfolio.

Builds portfolios of 50, 500 and 5,000 entries in a throwaway test database (PostgreSQL when
DATABASE_URL is set, otherwise SQLite), renders the first page of the log and the dashboard
through the full request cycle, and prints wall time, query count and peak Python memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd \
        .venv/bin/python -m bench.log_and_dashboard
"""

import datetime as dt
import os
import random
import statistics
import tempfile
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (50, 500, 5_000)
REPEATS = 5


def build_portfolio(owner, size: int) -> None:
    from portfolio.models import ActivityType, Capability, Entry, Status

    rng = random.Random(size)
    types = [t.value for t in ActivityType]
    capabilities = list(Capability.objects.all())
    today = dt.date.today()
    entries = Entry.objects.bulk_create(
        Entry(
            owner=owner,
            title=f"Entry {n}",
            activity_type=rng.choice(types),
            occurred_on=today - dt.timedelta(days=rng.randrange(0, 1_000)),
            duration_minutes=rng.randrange(15, 240),
            status=Status.DRAFT if n % 10 == 0 else Status.COMPLETE,
            what_happened="What happened " * 20,
            what_learned="What I learned " * 20,
            impact="The difference it makes " * 20,
            is_peer_reflected=n % 4 == 0,
            peer_learning="We discussed it" if n % 4 == 0 else "",
        )
        for n in range(size)
    )
    through = Entry.capabilities.through
    through.objects.bulk_create(
        through(entry_id=a.pk, capability_id=c.pk)
        for a in entries
        for c in rng.sample(capabilities, 2)
    )


def measure(client: Client, url: str) -> tuple[float, int, float]:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(timings) * 1000, len(queries), peak / 1024 / 1024


def main() -> None:
    from accounts.models import User

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        # Pages name their static files through collectstatic's manifest, as in production.
        with (
            tempfile.TemporaryDirectory() as static_root,
            override_settings(STATIC_ROOT=static_root),
        ):
            call_command("collectstatic", interactive=False, verbosity=0)
            print(
                f"database: {connection.vendor}; median of {REPEATS} requests; peak = Python heap"
            )
            print(f"{'entries':>8} {'page':<10} {'ms':>8} {'queries':>8} {'peak MiB':>9}")
            for size in SIZES:
                owner = User.objects.create_user(f"bench{size}@example.org", "bench-password")
                build_portfolio(owner, size)
                client = Client()
                client.force_login(owner)
                for name, url in (("log", "/activities/"), ("dashboard", "/dashboard/")):
                    ms, queries, peak = measure(client, url)
                    print(f"{size:>8} {name:<10} {ms:>8.1f} {queries:>8} {peak:>9.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
