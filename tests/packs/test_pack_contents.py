"""What is inside an evidence pack: every file, the manifest's hashes, CSV and JSON that read
back to the entries, a Leap2A feed that parses, and PDFs that carry no markup a user wrote and
fetch nothing from outside."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json

import pytest
from defusedxml import ElementTree
from pypdf import PdfReader

from core.models import WorkState
from core.periods import Period
from packs import pdf
from packs.building import entry_record, evidence_pack_entries, evidence_path
from packs.leap2a import ATOM, LEAP2, RDF
from regulators.profiles import profile
from tests.factories import make_entry
from tests.packs.conftest import HOSTILE, PDF_BYTES, PINNED, YEAR, build_now, open_pack

pytestmark = PINNED

FIXED_FILES = {
    "activities.csv",
    "portfolio.json",
    "leap2a.xml",
    "portfolio.pdf",
    "renewal-sheet.pdf",
    "manifest.json",
}
NS = {"atom": ATOM, "rdf": RDF, "leap2": LEAP2}


@pytest.fixture
def evidence_pack(practitioner, portfolio, django_capture_on_commit_callbacks):
    return build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR)


@pytest.fixture
def pack(evidence_pack):
    return open_pack(evidence_pack)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pack_holds_every_file_and_only_the_periods_complete_entries(
    evidence_pack, pack, portfolio
):
    evidence = portfolio.chat.evidence.get()

    assert evidence_pack.state == WorkState.DONE
    assert evidence_pack.entry_count == 3
    assert set(pack.namelist()) == FIXED_FILES | {evidence_path(evidence)}
    assert pack.read(evidence_path(evidence)) == PDF_BYTES
    assert (
        evidence_path(evidence) == f"evidence/{portfolio.chat.pk}/{evidence.pk}-Chat_transcript.pdf"
    )


def test_manifest_hashes_every_other_file_and_the_row_hashes_the_zip(evidence_pack, pack):
    manifest = json.loads(pack.read("manifest.json"))

    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(pack.namelist()) - {"manifest.json"}
    for path, entry in listed.items():
        data = pack.read(path)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert entry["size"] == len(data), path
    assert manifest["evidence_pack_id"] == str(evidence_pack.pk)
    with evidence_pack.file.open("rb") as handle:
        whole = handle.read()
    assert evidence_pack.sha256 == hashlib.sha256(whole).hexdigest()
    assert evidence_pack.size == len(whole)


def test_csv_reads_back_to_the_entries_in_date_order(pack, portfolio):
    rows = list(csv.DictReader(io.StringIO(pack.read("activities.csv").decode("utf-8"))))

    assert [int(r["id"]) for r in rows] == [
        portfolio.chat.pk,
        portfolio.supervision.pk,
        portfolio.blog.pk,
    ]
    chat = rows[0]
    assert chat["title"] == portfolio.chat.title
    assert chat["date"] == "2025-12-09"
    assert chat["duration_minutes"] == "60"
    assert chat["impact"] == portfolio.chat.impact
    assert chat["capabilities"] == "PCF5; SWE4"
    assert chat["tags"] == "supervision"
    assert chat["evidence"] == evidence_path(portfolio.chat.evidence.get())
    assert rows[1]["is_peer_reflected"] == "True"
    assert rows[1]["peer_learning"] == portfolio.supervision.peer_learning
    # A reflection that starts like a formula is kept as text for spreadsheets.
    assert rows[2]["what_learned"] == "'" + portfolio.blog.what_learned
    assert rows[2]["what_happened"] == portfolio.blog.what_happened


def test_json_is_complete_and_versioned(evidence_pack, pack, portfolio, practitioner):
    document = json.loads(pack.read("portfolio.json"))

    assert document["schema_version"] == "1.0"
    assert document["evidence_pack_id"] == str(evidence_pack.pk)
    assert document["owner"] == {
        "display_name": "Alex Morgan",
        "registration_number": "SW123456",
        "specialism": "",
        "employer": "",
    }
    assert document["period"] == {"start": "2025-12-01", "end": "2026-11-30"}
    entries = evidence_pack_entries(evidence_pack).prefetch_related(
        "capabilities__framework", "tags", "evidence"
    )
    assert document["activities"] == [entry_record(a) for a in entries]
    chat = document["activities"][0]
    assert chat["what_happened"] == portfolio.chat.what_happened
    assert chat["capabilities"][0] == {
        "framework": "pcf",
        "code": "PCF5",
        "name": "Knowledge",
    }
    assert chat["evidence"][0]["path"] in pack.namelist()
    assert "pseudonym" not in json.dumps(document["owner"])


def test_leap2a_parses_with_one_leap2a_entry_per_entry_and_files_in_the_zip(pack, portfolio):
    feed = ElementTree.fromstring(pack.read("leap2a.xml"))

    assert feed.tag == f"{{{ATOM}}}feed"
    assert feed.find("leap2:version", NS).text == "http://www.leapspecs.org/2010-07/2A/"
    entries = feed.findall("atom:entry", NS)
    types = {
        e.find("atom:id", NS).text: e.find("rdf:type", NS).get(f"{{{RDF}}}resource")
        for e in entries
    }
    evidence = portfolio.chat.evidence.get()
    assert types == {
        f"portfolio:activity{portfolio.chat.pk}": "leap2:activity",
        f"portfolio:activity{portfolio.supervision.pk}": "leap2:activity",
        f"portfolio:activity{portfolio.blog.pk}": "leap2:activity",
        f"portfolio:evidence{evidence.pk}": "leap2:resource",
    }
    chat = next(e for e in entries if e.find("atom:id", NS).text.endswith(f"y{portfolio.chat.pk}"))
    assert chat.find("atom:title", NS).text == portfolio.chat.title
    assert chat.find("leap2:date", NS).text == "2025-12-09"
    supported_by = [
        link.get("href")
        for link in chat.findall("atom:link", NS)
        if link.get("rel") == "leap2:is_supported_by"
    ]
    assert supported_by == [f"portfolio:evidence{evidence.pk}"]
    file_entry = next(e for e in entries if e.find("atom:id", NS).text.startswith("portfolio:ev"))
    src = file_entry.find("atom:content", NS).get("src")
    assert src == evidence_path(evidence)
    assert src in pack.namelist()
    blog = next(e for e in entries if e.find("atom:id", NS).text.endswith(f"y{portfolio.blog.pk}"))
    # The hostile markup is text inside the feed, not elements of it.
    assert HOSTILE in blog.find("atom:content", NS).text
    assert not blog.findall(".//script")


def test_pdf_has_the_cover_summary_list_entries_and_file_index(
    evidence_pack, pack, portfolio, settings
):
    text = pdf_text(pack.read("portfolio.pdf"))

    for expected in (
        "CPD evidence pack",
        "Alex Morgan",
        "SW123456",
        "1 December 2025 to 30 November 2026",
        "Capability coverage",
        "Entries in date order",
        portfolio.supervision.title,
        "Peer discussion with team manager",
        "Sign-offs",
        "Index of attached files",
        "Chat_transcript.pdf",
    ):
        assert expected in text, expected
    assert portfolio.old.title not in text
    assert portfolio.draft.title not in text
    assert f"{settings.SITE_URL}/verify/{evidence_pack.pk}/" in "".join(text.split())
    reader = PdfReader(io.BytesIO(pack.read("portfolio.pdf")))
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level[:2] == ["Cover and summary", "Entries in date order"]


def test_renewal_sheet_lays_out_the_regulators_fields(pack, portfolio):
    text = " ".join(pdf_text(pack.read("renewal-sheet.pdf")).split())

    # Social Work England's own questions, in its order, under each entry's title.
    questions = [field.asks.upper() for field in profile("swe").record_fields]
    first_entry = text[text.index(portfolio.chat.title) :]
    positions = [first_entry.index(question) for question in questions[:-1]]
    assert positions == sorted(positions)
    assert questions[-1] in text  # the peer question, under the peer-reflected entries only
    assert "03/02/2026" in text
    assert "With team manager." in text
    assert "Your regulator" in text and "Social Work England's checklist" in text


def test_hostile_html_in_a_reflection_reaches_the_pdf_as_text(pack):
    # Lines wrap anywhere in a PDF's text, so compare without whitespace.
    text = "".join(pdf_text(pack.read("portfolio.pdf")).split())

    assert '<imgsrc="http://attacker.example/x.png">' in text
    assert "<script>alert(1)</script>" in text
    assert "<b>bold</b>" in text


def test_rendering_fetches_nothing_a_reflection_names(
    practitioner, portfolio, django_capture_on_commit_callbacks, monkeypatch
):
    fetched: list[str] = []
    real_check = pdf.check_fetchable

    def spy(url: str) -> str:
        fetched.append(url)
        return real_check(url)

    monkeypatch.setattr(pdf, "check_fetchable", spy)
    make_entry(
        practitioner,
        title="Markdown image",
        occurred_on=YEAR.start,
        what_happened="![tracker](http://attacker.example/pixel.png) and [a link](file:///etc/passwd)",
    )

    build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR)

    assert not [url for url in fetched if "attacker" in url or "passwd" in url]


@pytest.mark.parametrize(
    "url",
    [
        "http://attacker.example/x.png",
        "https://attacker.example/font.woff",
        "file:///etc/passwd",
        f"file://{pdf.STATIC_DIR}/../manage.py",
        "ftp://attacker.example/x",
        "javascript:alert(1)",
        "relative/path.png",
    ],
)
def test_url_fetcher_refuses_anything_but_data_and_our_static_files(url):
    with pytest.raises(pdf.RefusedFetch):
        pdf.check_fetchable(url)
    with pytest.raises(pdf.RefusedFetch):
        pdf._fetcher_class()().fetch(url)


def test_url_fetcher_allows_data_uris_and_our_static_files():
    data = "data:text/plain;base64,aGVsbG8="
    static = (pdf.STATIC_DIR / "app.css").as_uri()

    assert pdf.check_fetchable(data) == data
    assert pdf.check_fetchable(static) == static
    assert pdf._fetcher_class()().fetch(data).read() == b"hello"


def test_a_selection_pack_holds_only_the_chosen_entries(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    evidence_pack = build_now(
        practitioner,
        django_capture_on_commit_callbacks,
        selection=[portfolio.blog, portfolio.supervision],
    )

    rows = list(
        csv.DictReader(io.StringIO(open_pack(evidence_pack).read("activities.csv").decode()))
    )
    assert [int(r["id"]) for r in rows] == [portfolio.supervision.pk, portfolio.blog.pk]
    assert (evidence_pack.period_start, evidence_pack.period_end) == (
        portfolio.supervision.occurred_on,
        portfolio.blog.occurred_on,
    )
    assert evidence_pack.by_selection


def test_a_selection_never_includes_someone_elses_entry(
    practitioner, other_practitioner, portfolio, django_capture_on_commit_callbacks
):
    theirs = make_entry(other_practitioner, title="Theirs", occurred_on=YEAR.start)
    evidence_pack = build_now(
        practitioner, django_capture_on_commit_callbacks, selection=[portfolio.blog, theirs]
    )

    assert evidence_pack.entry_count == 1
    assert b"Theirs" not in open_pack(evidence_pack).read("portfolio.json")


def test_expiry_follows_the_setting(
    practitioner, portfolio, django_capture_on_commit_callbacks, settings
):
    settings.EXPORT_EXPIRY_DAYS = 3

    evidence_pack = build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR)

    assert (
        abs((evidence_pack.expires_at - evidence_pack.finished_at).total_seconds() - 3 * 86400) < 60
    )


def test_rendering_processes_build_the_same_pdfs(
    practitioner, portfolio, django_capture_on_commit_callbacks, settings
):
    settings.EXPORT_RENDER_PROCESSES = 2

    pack = open_pack(build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR))

    text = pdf_text(pack.read("portfolio.pdf"))
    for entry in (portfolio.chat, portfolio.supervision, portfolio.blog):
        assert entry.title in text
    assert "DISCUSSING IT WITH A PEER" in pdf_text(pack.read("renewal-sheet.pdf"))


def test_a_daemonic_worker_renders_in_its_own_process(monkeypatch):
    # Celery's prefork children are daemonic, and daemonic processes may not have children.
    monkeypatch.setattr(pdf.current_process(), "daemon", True, raising=False)
    assert pdf.PartRenderer(4).processes == 1
    monkeypatch.undo()
    assert pdf.PartRenderer(4).processes == 4


def test_a_period_with_no_entries_still_makes_a_readable_pack(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    empty = Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31))

    evidence_pack = build_now(practitioner, django_capture_on_commit_callbacks, period=empty)

    pack = open_pack(evidence_pack)
    assert evidence_pack.entry_count == 0
    assert json.loads(pack.read("portfolio.json"))["activities"] == []
    assert pack.read("activities.csv").decode().count("\n") == 1  # the header
    assert "No complete entries." in pdf_text(pack.read("portfolio.pdf"))
    assert "No files attached." in pdf_text(pack.read("portfolio.pdf"))
    assert "No complete entries were chosen." in pdf_text(pack.read("renewal-sheet.pdf"))
