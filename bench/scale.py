"""The portal at national scale (issue 12): a million entries, and what each page costs.

1. Builds the data set of bench/scale_data.py (2,000 users, 1,000,000 entries over three CPD
   years, 100,000 resources, a cohort of 300 with 100 submissions; --entries scales it) in a
   throwaway PostgreSQL database on the server of DATABASE_URL, dropped at the end.
2. Measures each page in-process through django.test.Client for a typical user (450 entries)
   and the heavy one (5,000) against the floor (bench/urls.py: a page behind the login that
   renders only the base template): queries, p50 and p95, each against the floor's own p50 and
   p95, and whether it meets the goal (p50 <= 2x, p95 <= 3x, queries <= 10).
3. Serves the portal with gunicorn (2 workers, DEBUG off, collected static files) on a free
   loopback port and measures requests a second for the floor, the dashboard and the log with
   wrk (or, without wrk on the PATH, a closed loop of threads here), 10 s each.
4. A load test: 200 simulated users, each with her own session, for 60 s across the log, the
   dashboard, quick capture and the library, pausing 1-5 s between pages (as locust's usual
   example does); total requests, errors and p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python -m bench.scale
    make bench ENTRIES=20000          # a quick run

The CPD year is set to start on the first of next month (CPD_YEAR_START_MONTH/DAY, unless
set), so today falls in the current year's last month and the current year's dashboard and
cohort overview hold a year of entries whatever the date. Prints figures; asserts no times.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
WARM_UP = 3
FLOOR_REPEATS = 100  # cheap, and every ratio depends on it
GOAL_P50, GOAL_P95, GOAL_QUERIES, GOAL_THROUGHPUT = 2.0, 3.0, 10, 0.5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--resources", type=int, help="default: a tenth of --entries")
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page")
    parser.add_argument("--throughput-seconds", type=int, default=20)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-users", type=int, default=200)
    parser.add_argument("--database", default="cpd_bench_scale")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a database kept by --keep instead of building one (migrated, and its "
        "derived data recomputed, first)",
    )
    return parser.parse_args()


# --- The throwaway database and the environment ------------------------------------------------


def database_url(name: str) -> str:
    server = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    return server._replace(path=f"/{name}").geturl()


def _on_server(statement: sql.Composable, *params) -> list[tuple]:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        cursor = admin.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def create_database(name: str, reuse: bool) -> bool:
    """Whether the database was there to reuse; otherwise it is created empty."""
    exists = _on_server(sql.SQL("SELECT 1 FROM pg_database WHERE datname = %s"), name)
    if exists and reuse:
        return True
    _on_server(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    _on_server(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return False


def drop_database(name: str) -> None:
    _on_server(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def configure(name: str, static_root: str) -> None:
    """The environment Django (here and in gunicorn) reads its settings from."""
    today = dt.date.today()
    os.environ.update(
        DATABASE_URL=database_url(name),
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",  # plain http on loopback: no redirect to https, cookies not Secure
        STATIC_ROOT=static_root,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    os.environ.setdefault("CPD_YEAR_START_MONTH", str(today.month % 12 + 1))
    os.environ.setdefault("CPD_YEAR_START_DAY", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line for each request the bench makes


class Stopwatch:
    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()

    def step(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<55} {now - self.last:7.1f} s", flush=True)
        self.last = now


# --- In-process measurements -------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    page: str
    user: str
    queries: int
    p50: float  # ms
    p95: float
    # The floor, requested in turn with the page: its ratios are to the floor of the same
    # moments, so a slow spell of the machine weighs on both alike.
    floor_p50: float
    floor_p95: float
    # The same page built from scratch, as its first request after a change is: its cached
    # fragments (core/fragments.py) left out; and the floor requested in turn with it.
    built_queries: int
    built_p50: float
    built_floor_p50: float


def percentile_95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[18] if len(timings) > 1 else timings[0]


def measure(client, page: str, user: str, url: str, floor_url: str, repeats: int) -> Measured:
    from django.test import override_settings

    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} for {user}")
    queries, (p50, p95), (floor_p50, floor_p95) = _timed(client, url, floor_url, repeats)
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        built_queries, (built_p50, _), (built_floor_p50, _) = _timed(
            client, url, floor_url, max(5, repeats // 3)
        )
    return Measured(
        page,
        user,
        queries,
        p50,
        p95,
        floor_p50,
        floor_p95,
        built_queries,
        built_p50,
        built_floor_p50,
    )


def _timed(
    client, url: str, floor_url: str, repeats: int
) -> tuple[int, tuple[float, float], tuple[float, float]]:
    """The queries of one request to ``url``; then ``repeats`` requests to it, each followed
    by one to the floor: the p50 and p95 of each."""
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    timings: dict[str, list[float]] = {url: [], floor_url: []}
    for _ in range(repeats):
        for address in (url, floor_url):
            started = time.perf_counter()
            client.get(address)
            timings[address].append((time.perf_counter() - started) * 1000)
    page, floor = timings[url], timings[floor_url]
    return (
        queries,
        (statistics.median(page), percentile_95(page)),
        (statistics.median(floor), percentile_95(floor)),
    )


def pages_of(data) -> list[tuple[str, str]]:
    """(page, address) of everything measured for each user."""
    from django.urls import reverse

    log, library = reverse("portfolio:entry_list"), reverse("resources:resource_list")
    from bench.scale_data import COMMON_WORD, RARE_WORD

    previous = data.previous_year.slug
    return [
        ("log, page 1", log),
        (
            "log, filtered (type, capability, year)",
            f"{log}?activity_type=webinar&capability={data.capability_id}&year={previous}",
        ),
        (f"log, search '{COMMON_WORD}'", f"{log}?q={COMMON_WORD}"),
        (f"log, search '{RARE_WORD}'", f"{log}?q={RARE_WORD}"),
        ("dashboard, current year", reverse("portfolio:dashboard")),
        ("dashboard, previous year", f"{reverse('portfolio:dashboard')}?year={previous}"),
        ("library list", library),
        (f"library search '{COMMON_WORD}'", f"{library}?q={COMMON_WORD}"),
        (f"library search '{RARE_WORD}'", f"{library}?q={RARE_WORD}"),
        ("resource page", reverse("resources:resource_detail", args=[data.resource_id])),
        ("event page", reverse("resources:event_detail", args=[data.event_id])),
        ("summaries list", reverse("summaries:list")),
        ("packs list", reverse("packs:list")),
    ]


def measure_pages(data, repeats: int) -> tuple[Measured, list[Measured]]:
    from django.test import Client
    from django.urls import reverse

    from portfolio.models import Entry

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    typical, heavy = data.typical_user, data.heavy_user
    floor_url = reverse("bench_floor")
    floor = measure(client_for(typical), "floor", "", floor_url, floor_url, FLOOR_REPEATS)
    results = []
    for user in (typical, heavy):
        client = client_for(user)
        label = f"{Entry.objects.for_user(user).count():,} entries"
        for page, url in pages_of(data):
            results.append(measure(client, page, label, url, floor_url, repeats))
            print(".", end="", flush=True)
    overview = reverse("programmes:cohort_overview", args=[data.cohort_id])
    leader = client_for(data.leader)
    results.append(measure(leader, "cohort overview", "leader", overview, floor_url, repeats))
    print()
    return floor, results


def meets_goal(r: Measured) -> bool:
    return (
        r.p50 / r.floor_p50 <= GOAL_P50
        and r.p95 / r.floor_p95 <= GOAL_P95
        and max(r.queries, r.built_queries) <= GOAL_QUERIES
    )


def print_pages(floor: Measured, results: list[Measured], repeats: int) -> None:
    print(
        f"\nIn-process (django.test.Client), {repeats} requests a page after {WARM_UP} to warm "
        f"up, each followed by a request to the floor, a page that renders only the base "
        f"template ({floor.queries} queries; p50 {floor.p50:.1f} ms, p95 {floor.p95:.1f} ms "
        f"over {FLOOR_REPEATS} requests at the start).\nA page's ratios are to the floor "
        f"requested in turn with it. Goal: p50 <= {GOAL_P50:g}x the floor's p50, p95 <= "
        f"{GOAL_P95:g}x its p95, <= {GOAL_QUERIES} queries.\n'built' is the same page with no "
        "fragment from the cache, as its first request after a change is.\n"
    )
    header = (
        f"{'page':<40} {'user':<14} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'floor p50':>9} {'p50/floor':>9} {'p95/floor':>9}  goal  {'built: queries':>14} "
        f"{'p50 ms':>7} {'p50/floor':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.page:<40} {r.user:<14} {r.queries:>7} {r.p50:>7.1f} {r.p95:>7.1f} "
            f"{r.floor_p50:>9.1f} {r.p50 / r.floor_p50:>9.1f} {r.p95 / r.floor_p95:>9.1f}  "
            f"{'yes' if meets_goal(r) else 'NO':<4}  {r.built_queries:>14} "
            f"{r.built_p50:>7.1f} {r.built_p50 / r.built_floor_p50:>9.1f}"
        )
    met = sum(meets_goal(r) for r in results)
    print(f"\n{met} of {len(results)} pages meet the goal.")


# --- Under gunicorn -------------------------------------------------------------------------


def session_cookie(user) -> str:
    """A session for ``user``, made by the session engine as a login makes it."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config=cpd_portal/gunicorn.conf.py",
            "cpd_portal.wsgi:application",
            "--workers=2",
            "--access-logfile=/dev/null",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=REPO,
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/bench/floor/", timeout=5)
            return server
        except httpx.TransportError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within a minute")


def _wrk(url: str, cookie: str, seconds: int) -> tuple[float, int]:
    output = subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{seconds}s", "--timeout=60s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return rate, errors


def _threads(url: str, cookie: str, seconds: int) -> tuple[float, int]:
    """Four threads requesting ``url`` back to back: the fallback without wrk."""
    done, errors = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        with httpx.Client(headers={"Cookie": cookie}, timeout=60) as client:
            while time.monotonic() < deadline:
                ok = client.get(url).status_code == 200
                with lock:
                    done[0] += 1
                    errors[0] += not ok

    workers = [threading.Thread(target=loop) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done[0] / seconds, errors[0]


# Each page's share of the throughput test comes in rounds of this many seconds, the pages
# taking turns: the load of a shared two-core machine drifts over a minute (the floor alone
# was measured at 157 and 314 requests a second a minute apart), and turns spread the drift
# over every page alike instead of landing on whichever page ran during it.
THROUGHPUT_ROUND_SECONDS = 2


def measure_throughput(base: str, data, seconds: int) -> None:
    from django.urls import reverse

    cookie = f"sessionid={session_cookie(data.typical_user)}"
    generator: Callable[[str, str, int], tuple[float, int]] = (
        _wrk if shutil.which("wrk") else _threads
    )
    rounds = max(1, seconds // THROUGHPUT_ROUND_SECONDS)
    print(
        f"\nThroughput under gunicorn (2 workers), {seconds} s a page in {rounds} turns of "
        f"{THROUGHPUT_ROUND_SECONDS} s, typical user, "
        f"{'wrk -t1 -c4' if generator is _wrk else 'four threads of httpx (no wrk on PATH)'}:"
    )
    pages = {
        "floor": base + reverse("bench_floor"),
        "dashboard": base + reverse("portfolio:dashboard"),
        "log": base + reverse("portfolio:entry_list"),
    }
    for url in pages.values():
        status = httpx.get(url, headers={"Cookie": cookie}, timeout=60).status_code
        if status != 200:
            raise SystemExit(f"{url} answered {status} under gunicorn")
    requests: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for _ in range(rounds):
        for page, url in pages.items():
            rate, failed = generator(url, cookie, THROUGHPUT_ROUND_SECONDS)
            requests[page] += rate * THROUGHPUT_ROUND_SECONDS
            errors[page] += failed
    for page in pages:
        rate = requests[page] / (rounds * THROUGHPUT_ROUND_SECONDS)
        ratio = requests[page] / requests["floor"]
        goal = (
            ""
            if page == "floor"
            else f"  {ratio:5.0%} of the floor, goal >= 50%: "
            + ("yes" if ratio >= GOAL_THROUGHPUT else "NO")
        )
        print(f"  {page:<10} {rate:8.1f} requests/s  errors {errors[page]}{goal}")


def load_test(base: str, users: list, seconds: int) -> None:
    from django.urls import reverse

    targets = [
        ("log", reverse("portfolio:entry_list")),
        ("dashboard", reverse("portfolio:dashboard")),
        ("capture", reverse("capture:capture")),
        ("library", reverse("resources:resource_list")),
    ]
    cookies = [session_cookie(user) for user in users]
    results: list[tuple[str, float, bool]] = []
    failures: Counter[str] = Counter()  # what each error was: a status, or the exception

    async def simulated_user(cookie: str, seed: int, deadline: float) -> None:
        rng = random.Random(seed)
        await asyncio.sleep(rng.uniform(0, 5))  # people arrive over the first seconds
        async with httpx.AsyncClient(
            base_url=base, headers={"Cookie": f"sessionid={cookie}"}, timeout=60
        ) as client:
            while time.monotonic() < deadline:
                page, path = rng.choice(targets)
                started = time.perf_counter()
                try:
                    status = (await client.get(path)).status_code
                    ok = status == 200
                    if not ok:
                        failures[f"{page}: HTTP {status}"] += 1
                except httpx.HTTPError as error:
                    ok = False
                    failures[f"{page}: {type(error).__name__}"] += 1
                results.append((page, (time.perf_counter() - started) * 1000, ok))
                await asyncio.sleep(rng.uniform(1, 5))

    async def everyone() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(simulated_user(c, n, deadline) for n, c in enumerate(cookies)))

    started = time.perf_counter()
    asyncio.run(everyone())
    elapsed = time.perf_counter() - started
    print(
        f"\nLoad test: {len(users)} simulated users, {seconds} s (took {elapsed:.0f} s with the "
        "last answers), 1-5 s between pages, log / dashboard / capture / library:"
    )
    for page in [None, *(name for name, _ in targets)]:
        rows = [r for r in results if page is None or r[0] == page]
        timings = [ms for _, ms, _ in rows]
        errors = sum(not ok for _, _, ok in rows)
        p95 = percentile_95(timings) if len(timings) > 1 else float("nan")
        print(
            f"  {page or 'all':<10} {len(rows):6} requests  errors {errors:4}  "
            f"p50 {statistics.median(timings):8.0f} ms  p95 {p95:8.0f} ms"
        )
    if failures:
        print("  errors: " + ", ".join(f"{what} ×{n}" for what, n in failures.most_common()))


# --- The whole run ----------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="cpd-bench-static-") as static_root:
        configure(args.database, static_root)
        reused = create_database(args.database, args.reuse)
        servers: list[subprocess.Popen] = []
        try:
            run(args, reused, servers)
        finally:
            for server in servers:
                server.terminate()
                server.wait(30)
            from django.db import connection

            connection.close_pool() if hasattr(connection, "close_pool") else connection.close()
            if args.keep:
                print(f"\nKept the database {args.database} (--reuse measures it again).")
            else:
                drop_database(args.database)


def run(args: argparse.Namespace, reused: bool, servers: list[subprocess.Popen]) -> None:
    """Everything after the database exists; the gunicorn it starts goes into ``servers``."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import timezone

    from accounts.models import Role, User
    from bench import scale_data
    from cpd_portal.celery import app as celery_app

    clock = Stopwatch()
    today = timezone.localdate()
    print(
        f"Database {args.database}; CPD years start on {settings.CPD_YEAR_START_DAY}/"
        f"{settings.CPD_YEAR_START_MONTH}, so today ({today}) is in the last month of the "
        "current one."
    )
    call_command("migrate", interactive=False, verbosity=0)
    clock.step("migrate")
    # Collected with Django's manifest storage: the same names and manifest as production's
    # WhiteNoise storage, which serves them, without the compressed copies (a minute of brotli)
    # that no request here reads.
    manifest_storage = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest_storage}):
        call_command("collectstatic", interactive=False, verbosity=0)
    clock.step("collectstatic")
    if settings.REDIS_URL:
        cache.clear()  # the bench's own Redis database: nothing cached from an earlier run
    celery_app.conf.task_always_eager = True  # the submissions' emails, sent to nobody
    if reused:
        scale_data.recompute_derived_data()
        clock.step("derived data and ANALYZE (reused database)")
        data = scale_data.find_data_set(today)
    else:
        spec = scale_data.ScaleSpec.scaled(args.entries, args.resources)
        print(f"Building {spec}:")
        data = scale_data.build_data_set(spec, today, progress=clock.step)
        print(f"  built in {time.perf_counter() - clock.started:.0f} s")

    floor, results = measure_pages(data, args.repeats)
    print_pages(floor, results, args.repeats)

    port = free_port()
    servers.append(start_gunicorn(port))
    base = f"http://127.0.0.1:{port}"
    measure_throughput(base, data, args.throughput_seconds)
    load_users = list(User.objects.filter(role=Role.PRACTITIONER).order_by("pk")[: args.load_users])
    load_test(base, load_users, args.load_seconds)


if __name__ == "__main__":
    main()
