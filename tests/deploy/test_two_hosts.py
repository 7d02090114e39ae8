"""No shared disk between hosts: the web process and a Celery worker, each with its own empty
local folders for private files and working folders (as if on two machines), keep every file
in the object store (tests/storage_backends.py), and the whole journey works. Evidence
uploaded over HTTP is in the pack the worker process builds, and the pack downloads over HTTP
whole, its manifest true.

The web process is this one's live server (a thread, on the test database); the worker is a
real ``celery worker`` process (tests/packs/test_reliability.py's ``worker_process``)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import httpx
import redis
from django.test import Client
from django.urls import reverse

from packs.building import evidence_path
from packs.models import EvidencePack
from portfolio.frameworks import load_framework_data, sync_frameworks
from portfolio.models import Capability, Evidence, Framework
from tests.packs.conftest import PDF_BYTES, PINNED
from tests.packs.test_pack_storage import WHOLE_YEAR, whole_pack
from tests.packs.test_reliability import wait_until, worker_process
from tests.storage_backends import PRIVATE_STORAGES

pytestmark = PINNED


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def csrf_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_web_and_worker_with_no_shared_disk_build_and_serve_a_pack(
    transactional_db, live_server, object_store, practitioner, settings, tmp_path
):
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # no other test's messages
    sync_frameworks(Framework, Capability, load_framework_data())
    web, worker = tmp_path / "web", tmp_path / "worker"
    prefix = f"two-hosts-{uuid.uuid4().hex}"
    in_store = object_store.storage_setting(prefix)
    settings.STORAGES = {**settings.STORAGES, **dict.fromkeys(PRIVATE_STORAGES, in_store)}
    settings.WORK_TEMP_DIR = str(web / "work")
    signed_in = Client()
    signed_in.force_login(practitioner)
    browser = httpx.Client(base_url=live_server.url, timeout=30)
    browser.cookies.set(
        settings.SESSION_COOKIE_NAME, signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    )
    log = tmp_path / "worker.log"

    with worker_process(
        log,
        **object_store.environment(prefix),
        PRIVATE_MEDIA_ROOT=str(worker / "private"),
        WORK_TEMP_DIR=str(worker / "work"),
    ):
        new_entry = reverse("portfolio:entry_create")
        uploaded = browser.post(
            new_entry,
            data={
                "csrfmiddlewaretoken": csrf_token(browser, new_entry),
                "title": "Court skills training: giving evidence",
                "activity_type": "other",
                "occurred_on": dt.date(2026, 2, 14).isoformat(),
                "duration": "3h",
                "what_happened": "A day with the legal team on giving evidence.",
                "what_learned": "Keep to facts; say when you do not know.",
                "impact": "I will write my statements as I would give them in court.",
                "capabilities": [Capability.objects.get(code="PCF5").pk],
                "action": "complete",
            },
            files={"evidence": ("court-skills-handout.pdf", PDF_BYTES, "application/pdf")},
        )
        assert uploaded.status_code == 302, uploaded.text[:2000]
        packs = reverse("packs:list")
        requested = browser.post(
            packs, data={"csrfmiddlewaretoken": csrf_token(browser, packs), **WHOLE_YEAR}
        )
        assert requested.status_code == 302, requested.text[:2000]
        [pk] = EvidencePack.objects.for_user(practitioner).values_list("pk", flat=True)
        wait_until(
            lambda: EvidencePack.objects.get(pk=pk).sha256 != "",
            "the worker process to build the pack",
            log,
        )

    evidence_pack = EvidencePack.objects.get(pk=pk)
    evidence = Evidence.objects.for_user(practitioner).get()
    download = browser.get(reverse("packs:download", args=[evidence_pack.pk]))
    assert download.status_code == 200
    assert whole_pack(download.content, evidence_pack).read(evidence_path(evidence)) == PDF_BYTES
    stored = sorted(key.removeprefix(f"{prefix}/") for key in object_store.keys(prefix))
    assert stored == sorted([evidence.file.name, evidence_pack.file.name])
    assert files_in(web) == []
    assert files_in(worker) == []
    assert "build_evidence_pack" in log.read_text(), "the worker process built it"
