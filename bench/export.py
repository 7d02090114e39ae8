"""How building an evidence pack scales with the size of a portfolio.

Builds portfolios of 50, 500 and 2,000 complete entries (every tenth with a PDF attached) in a
throwaway test database (PostgreSQL when DATABASE_URL is set, otherwise SQLite), builds the
whole pack as a worker would, and prints wall time, peak memory and the size of the ZIP. Each
size runs in a fresh process, so its peak resident memory is its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd \
        .venv/bin/python -m bench.export
"""

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

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


def measure(size: int) -> dict:
    """Runs in the child process for one size."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from packs.building import build_evidence_pack
    from packs.models import EvidencePack

    setup_test_environment()
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
        evidence_pack.refresh_from_db()
        return {
            "entries": evidence_pack.entry_count,
            "seconds": seconds,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            # The largest of the processes that rendered PDF parts.
            "renderer_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "zip_mib": evidence_pack.size / 1024 / 1024,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--size":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    processes = os.environ.get("EXPORT_RENDER_PROCESSES", "2")
    print(
        f"database: {database}; one fresh process per size; {processes} rendering processes; "
        "peak = resident set size of the worker, and of the largest rendering process"
    )
    print(f"{'entries':>8} {'seconds':>8} {'peak MiB':>9} {'renderer MiB':>13} {'ZIP MiB':>8}")
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix="cpd-bench-") as media:
            env = {
                **os.environ,
                "PRIVATE_MEDIA_ROOT": media,
                "CELERY_BROKER_URL": "memory://",
                "REDIS_URL": "",
                "LOG_LEVEL": "WARNING",
            }
            child = subprocess.run(
                [sys.executable, "-m", "bench.export", "--size", str(size)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{result['entries']:>8} {result['seconds']:>8.1f} {result['peak_mib']:>9.0f}"
            f" {result['renderer_peak_mib']:>13.0f} {result['zip_mib']:>8.1f}"
        )


if __name__ == "__main__":
    main()
