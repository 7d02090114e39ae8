"""A practitioner's portfolio to summarise and export, and helpers to build packs in-process."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.periods import Period
from packs.building import build_evidence_pack, request_evidence_pack
from packs.models import EvidencePack
from portfolio.entries import save_entry
from portfolio.frameworks import load_framework_data, sync_frameworks
from portfolio.models import ActivityType, Capability, Entry, Framework, Status
from tests.clock import london_moment
from tests.factories import make_entry

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = Period(dt.date(2025, 12, 1), dt.date(2026, 11, 30))
# The portfolio below is the CPD year 2025-26's, so its tests live near that year's end: a
# summary or pack asked for "this CPD year" is of YEAR. Each module pins it with PINNED.
TODAY = dt.date(2026, 11, 21)
PINNED = pytest.mark.time_machine(london_moment("2026-11-21T10:00"))
HOSTILE = '<img src="http://attacker.example/x.png"><script>alert(1)</script> and <b>bold</b>'


@pytest.fixture(autouse=True)
def render_in_process(settings):
    """Packs built in the test process render their PDFs in it: quicker for a handful of
    entries, and a test can watch what the renderer does. test_pack_contents also builds
    one with rendering processes."""
    settings.EXPORT_RENDER_PROCESSES = 1


@dataclass
class Portfolio:
    chat: Entry
    supervision: Entry
    blog: Entry
    old: Entry
    draft: Entry


@pytest.fixture
def portfolio(practitioner) -> Portfolio:
    """Three complete entries in the CPD year 2025-26 (one peer-reflected, one with a PDF),
    one the year before and a draft, all the practitioner's."""
    # A transactional test before this one may have flushed the seeded frameworks.
    sync_frameworks(Framework, Capability, load_framework_data())
    pcf5, pcf6, swe4 = (Capability.objects.get(code=c) for c in ("PCF5", "PCF6", "SWE4"))
    practitioner.registration_number = "SW123456"
    practitioner.save()
    chat = save_entry(
        Entry(
            title="#SWSCmedia chat on strengths-based supervision",
            activity_type=ActivityType.LIVE_CHAT,
            occurred_on=dt.date(2025, 12, 9),
            duration_minutes=60,
            status=Status.COMPLETE,
            what_happened="Joined the #SWSCmedia chat about strengths-based supervision.",
            what_learned="Strengths-based supervision starts from what is working well.",
            impact="I will open supervision by asking what has gone well this week, so people "
            "feel heard before we talk about risk.",
        ),
        owner=practitioner,
        capabilities=[pcf5, swe4],
        tag_names=["supervision"],
        new_files=[SimpleUploadedFile("Chat transcript.pdf", PDF_BYTES, "application/pdf")],
    )
    supervision = make_entry(
        practitioner,
        title="Group supervision on mental capacity assessments",
        activity_type=ActivityType.PEER_DISCUSSION,
        occurred_on=dt.date(2026, 2, 3),
        duration_minutes=90,
        what_happened="Group supervision on recording mental capacity assessments.",
        what_learned="Strengths-based supervision helps us record capacity decisions clearly.",
        impact="I now record each capacity decision in the person's own words, which helps "
        "families follow the reasoning.",
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning="We agreed strengths-based supervision works for capacity cases too.",
        capabilities=[pcf6],
    )
    blog = make_entry(
        practitioner,
        title="Blog post on recording with care",
        activity_type=ActivityType.BLOG_READ,
        occurred_on=dt.date(2026, 7, 20),
        duration_minutes=30,
        what_happened=f"Read a post on careful recording. {HOSTILE}",
        what_learned='=HYPERLINK("http://attacker.example") is how formulas sneak into CSVs.',
        impact="I check every record for identifying details before saving it.",
        capabilities=[pcf5],
    )
    old = make_entry(practitioner, title="Last year's course", occurred_on=dt.date(2025, 6, 1))
    draft = make_entry(
        practitioner, title="Unfinished draft", status=Status.DRAFT, occurred_on=dt.date(2026, 3, 1)
    )
    return Portfolio(chat, supervision, blog, old, draft)


def build_now(owner, django_capture_on_commit_callbacks, **request) -> EvidencePack:
    """Request a pack and build it in this process, as a worker would."""
    with django_capture_on_commit_callbacks(execute=False):
        evidence_pack = request_evidence_pack(owner, **request)
    assert build_evidence_pack(evidence_pack.pk, last_try=True)
    evidence_pack.refresh_from_db()
    return evidence_pack


def open_pack(evidence_pack: EvidencePack) -> zipfile.ZipFile:
    with evidence_pack.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))
