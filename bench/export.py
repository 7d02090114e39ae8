"""How building an evidence pack scales with the size of a portfolio.

Builds portfolios of 50, 500 and 2,000 complete entries (every tenth with a PDF attached) in a
throwaway test database (PostgreSQL when DATABASE_URL is set, otherwise SQLite), builds the
whole pack as a worker would, and prints wall time, peak memory and the size of the ZIP. Each
size runs in a fresh process, so its peak resident memory is its own.

Then it joins the parts of each of the pack's PDFs again, from the very files the build
rendered, each join in a fresh process of its own, and prints the pages, the parts, the time
and the memory the join took: its peak resident set size less the resident set size before
it (what the joiner's libraries hold, in C or Python; Linux only), and tracemalloc's peak
(Python objects only, from a second run). Joining is meant to keep memory bounded however
long the portfolio is, so these two should barely move from one size to the next.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd \
        .venv/bin/python -m bench.export
"""

import datetime as dt
import gc
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

SIZES = (50, 500, 2_000)
WORDS = [
    "supervision",
    "strengths",
    "assessment",
    "capacity",
    "safeguarding",
    "reflection",
    "practice",
    "family",
    "carers",
    "recording",
    "thresholds",
    "rights",
    "advocacy",
    "evidence",
    "research",
    "theory",
    "trauma",
    "informed",
    "relationship",
    "community",
    "risk",
    "wellbeing",
    "outcomes",
    "learning",
    "colleague",
    "team",
    "manager",
]


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build_portfolio(owner, size: int) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from portfolio.models import ActivityType, Capability, Entry, Evidence, Status

    rng = random.Random(size)
    types = [t.value for t in ActivityType]
    capabilities = list(Capability.objects.all())
    start = dt.date(2024, 12, 1)
    entries = Entry.objects.bulk_create(
        Entry(
            owner=owner,
            title=f"Entry {n}: {paragraph(rng, 6)}",
            activity_type=rng.choice(types),
            occurred_on=start + dt.timedelta(days=rng.randrange(0, 720)),
            duration_minutes=rng.randrange(15, 240),
            status=Status.COMPLETE,
            what_happened=paragraph(rng, 60),
            what_learned=paragraph(rng, 60),
            impact=paragraph(rng, 60),
            is_peer_reflected=n % 4 == 0,
            peer_role="team manager" if n % 4 == 0 else "",
            peer_learning=paragraph(rng, 40) if n % 4 == 0 else "",
        )
        for n in range(size)
    )
    through = Entry.capabilities.through
    through.objects.bulk_create(
        through(entry_id=a.pk, capability_id=c.pk)
        for a in entries
        for c in rng.sample(capabilities, 2)
    )
    stored = default_storage.save(
        "evidence/bench/certificate.pdf",
        ContentFile(b"%PDF-1.4\n" + os.urandom(50_000) + b"\n%%EOF\n"),
    )
    Evidence.objects.bulk_create(
        Evidence(
            entry=a,
            file=stored,
            original_name=f"Certificate {n}.pdf",
            content_type="application/pdf",
            size=default_storage.size(stored),
        )
        for n, a in enumerate(entries)
        if n % 10 == 0
    )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_resident_mib() -> float:
    """This process's peak resident set size, VmHWM in Linux's /proc. Not ru_maxrss: a
    process started by another inherits that one's peak as its own."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise LookupError("VmHWM")


def reset_peak_rss_mib() -> float:
    """Start this process's peak resident set size again from what it holds now, and return
    that: the peak so far is start-up's, not the join's."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    return peak_resident_mib()


def keeping_parts(join: Callable, kept: Path) -> Callable:
    """``join``, which first keeps (hard links) each PDF's parts in a folder of ``kept`` with
    their bookmarks, for measure_join to join them again."""

    def join_and_keep(parts, target) -> None:
        parts = list(parts)
        pdf_name = parts[0][0].name.rsplit("-", 1)[0]  # portfolio-00001.pdf: portfolio
        folder = kept / pdf_name
        folder.mkdir()
        for path, _ in parts:
            os.link(path, folder / path.name)
        listing = [[path.name, title] for path, title in parts]
        (folder / "parts.json").write_text(json.dumps(listing))
        join(parts, target)

    return join_and_keep


def measure_join(folder: Path) -> dict:
    """Runs in a fresh child process: joins the parts kept in ``folder``, twice."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
    import django

    django.setup()
    import pikepdf

    from packs.pdf import join_pdfs

    listing = json.loads((folder / "parts.json").read_text())
    parts = [(folder / name, title) for name, title in listing]
    joined = folder / "joined.pdf"
    gc.collect()
    rss_before = reset_peak_rss_mib()
    started = time.perf_counter()
    with joined.open("wb") as out:
        join_pdfs(parts, out)
    seconds = time.perf_counter() - started
    rss_growth = peak_resident_mib() - rss_before
    tracemalloc.start()
    with joined.open("wb") as out:
        join_pdfs(parts, out)
    heap_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    with pikepdf.open(joined) as reader:
        pages = len(reader.pages)
    return {
        "pdf": f"{folder.name}.pdf",
        "parts": len(parts),
        "pages": pages,
        "seconds": seconds,
        "rss_growth_mib": rss_growth,
        "heap_peak_mib": heap_peak / 1024 / 1024,
    }


def measure(size: int) -> dict:
    """Runs in the child process for one size."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from packs import building
    from packs.building import build_evidence_pack
    from packs.models import EvidencePack

    setup_test_environment()
    kept = Path(tempfile.mkdtemp(prefix="cpd-bench-parts-"))
    building.join_pdfs = keeping_parts(building.join_pdfs, kept)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        owner = User.objects.create_user(
            f"bench{size}@example.org", "bench-password", display_name="Bench Practitioner"
        )
        build_portfolio(owner, size)
        # The row a request creates, without the request's enqueueing: the build is timed here.
        evidence_pack = EvidencePack.objects.create(
            owner=owner, period_start=dt.date(2024, 12, 1), period_end=dt.date(2026, 11, 30)
        )
        started = time.perf_counter()
        assert build_evidence_pack(evidence_pack.pk, last_try=True)
        seconds = time.perf_counter() - started
        peak_mib = peak_rss_mib()
        evidence_pack.refresh_from_db()
        return {
            "entries": evidence_pack.entry_count,
            "seconds": seconds,
            "peak_mib": peak_mib,
            # The largest of the processes that rendered PDF parts.
            "renderer_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "zip_mib": evidence_pack.size / 1024 / 1024,
            "joins": [run_child("--join", str(folder)) for folder in sorted(kept.iterdir())],
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(kept)


def run_child(*arguments: str, env: dict[str, str] | None = None) -> dict:
    """Run this module in a fresh process and return the figures it prints last."""
    child = subprocess.run(
        [sys.executable, "-m", "bench.export", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--size":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--join":
        print(json.dumps(measure_join(Path(sys.argv[2]))))
        return
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    processes = os.environ.get("EXPORT_RENDER_PROCESSES", "2")
    print(
        f"database: {database}; one fresh process per size; {processes} rendering processes; "
        "peak = resident set size of the worker, and of the largest rendering process"
    )
    print(f"{'entries':>8} {'seconds':>8} {'peak MiB':>9} {'renderer MiB':>13} {'ZIP MiB':>8}")
    results = []
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix="cpd-bench-") as media:
            env = {
                **os.environ,
                "PRIVATE_MEDIA_ROOT": media,
                "CELERY_BROKER_URL": "memory://",
                "REDIS_URL": "",
                "LOG_LEVEL": "WARNING",
            }
            result = run_child("--size", str(size), env=env)
        results.append(result)
        print(
            f"{result['entries']:>8} {result['seconds']:>8.1f} {result['peak_mib']:>9.0f}"
            f" {result['renderer_peak_mib']:>13.0f} {result['zip_mib']:>8.1f}"
        )
    print()
    print(
        "joining each PDF's parts again, in a fresh process: RSS growth = peak resident set "
        "size of the join less the resident set size before it; heap peak = tracemalloc's "
        "(Python objects only)"
    )
    print(
        f"{'entries':>8} {'PDF':<18} {'parts':>6} {'pages':>6} {'seconds':>8}"
        f" {'RSS growth MiB':>15} {'heap peak MiB':>14}"
    )
    for result in results:
        for join in result["joins"]:
            print(
                f"{result['entries']:>8} {join['pdf']:<18} {join['parts']:>6} {join['pages']:>6}"
                f" {join['seconds']:>8.2f} {join['rss_growth_mib']:>15.1f}"
                f" {join['heap_peak_mib']:>14.1f}"
            )


if __name__ == "__main__":
    main()
