"""Leap2A: a Mahara export with an attached PDF, our own export read back, hostile and broken
archives refused with a message, and generated exports checked property by property."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.importers.base import Attachment, ImportOptions, ImportRejected
from imports.importers.leap2a import parse_leap2a
from packs.building import evidence_path
from packs.leap2a import CREDITS_SCHEME, HOURS_SCHEME, write_leap2a
from portfolio.entries import save_entry
from portfolio.frameworks import load_framework_data, sync_frameworks
from portfolio.models import ActivityType, Capability, Entry, Framework, Platform, Status
from regulators.profiles import profile
from tests.factories import make_entry

FIXTURES = Path(__file__).parent / "fixtures"
MAHARA_XML = (FIXTURES / "mahara" / "leap2a.xml").read_bytes()
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LONDON = ImportOptions(time_zone=ZoneInfo("Europe/London"))


def zipped(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def parse(source: io.BytesIO | bytes, options: ImportOptions = LONDON):
    return parse_leap2a(source if isinstance(source, io.BytesIO) else io.BytesIO(source), options)


def mahara_zip(folder: str = "") -> io.BytesIO:
    return zipped(
        {
            f"{folder}leap2a.xml": MAHARA_XML,
            f"{folder}files/artefact30-court-skills-handout.pdf": PDF_BYTES,
            f"{folder}files/artefact99-unrelated.txt": b"not linked from any entry",
        }
    )


# --- A Mahara export --------------------------------------------------------------------------


def test_a_mahara_export_gives_its_learning_records_with_their_files():
    entries = parse(mahara_zip())

    by_title = {e.title: e for e in entries}
    # The journal and the folder are selections, the files are resources: none is an entry.
    assert list(by_title) == [
        "Court skills training: giving evidence",
        "Supervision & reflective practice",
        "Motivational interviewing",
        "Team meeting on the new duty rota",
    ]
    court = by_title["Court skills training: giving evidence"]
    assert court.source_key == "leap2a:portfolio:artefact24"
    assert court.activity_type == ActivityType.OTHER
    # Published at 23:10 UTC on 14 February: still the 14th in London.
    assert court.occurred_on == dt.date(2026, 2, 14)
    assert court.what_happened == (
        "A day with the local authority's legal team on giving evidence in care proceedings."
        "\n\n- Keep to facts\n- Say when you do not know"
    )
    assert court.url == "https://www.example.gov.uk/family-court-guidance"
    assert court.tag_names == ["court", "Care proceedings"], "a life-area category is no tag"
    assert court.attachments == [Attachment("court-skills-handout.pdf", PDF_BYTES)]


def test_xhtml_content_and_a_missing_file_are_handled():
    supervision = parse(mahara_zip())[1]

    assert supervision.what_happened == (
        "Used Gibbs' cycle with my supervisor.\n\nNext: try it with students.\n\n"
        "Not imported: the file “gibbs-cycle-notes.docx” was not in the export."
    )
    assert supervision.attachments == []
    assert supervision.tag_names == ["supervision"]


def test_the_start_date_wins_and_a_bad_one_falls_back_to_the_entrys_dates():
    entries = parse(mahara_zip())
    ability, meeting = entries[2], entries[3]

    assert ability.occurred_on == dt.date(2025, 11, 18)
    assert ability.what_happened.startswith("Completed the two-day course")
    assert meeting.occurred_on == dt.date(2026, 3, 5)
    assert meeting.activity_type == ActivityType.PEER_DISCUSSION


def test_dates_are_the_users_local_dates():
    court = parse(mahara_zip(), ImportOptions(time_zone=ZoneInfo("Europe/Paris")))[0]
    assert court.occurred_on == dt.date(2026, 2, 15)


def test_an_export_packed_inside_a_folder_finds_its_files_beside_leap2a_xml():
    court = parse(mahara_zip("alex-morgan-export/"))[0]
    assert [a.name for a in court.attachments] == ["court-skills-handout.pdf"]


def test_a_bare_leap2a_xml_gives_the_entries_and_names_the_files_it_could_not_bring():
    court = parse(MAHARA_XML)[0]
    assert court.attachments == []
    assert court.what_happened.endswith(
        "Not imported: the file “court-skills-handout.pdf” was not in the export."
    )


# --- Our own export, read back ----------------------------------------------------------------


@pytest.mark.django_db
def test_our_own_export_imports_back(practitioner):
    sync_frameworks(Framework, Capability, load_framework_data())
    pcf5, swe4 = Capability.objects.get(code="PCF5"), Capability.objects.get(code="SWE4")
    written = save_entry(
        Entry(
            title="#SWSCmedia chat on strengths-based supervision",
            activity_type=ActivityType.LIVE_CHAT,
            platform=Platform.X,
            occurred_on=dt.date(2025, 12, 9),
            duration_minutes=60,
            hashtag="SWSCmedia",
            status=Status.COMPLETE,
            url="https://swscmedia.example.org/chats/42",
            what_happened="Joined the chat.\nTwo lines.",
            what_learned="Start from what is working <well> & say so.",
            impact="I will open supervision by asking what has gone well.",
            is_peer_reflected=True,
            peer_role="team manager",
            peer_learning="We agreed to try it for a month.",
        ),
        owner=practitioner,
        capabilities=[pcf5, swe4],
        tag_names=["supervision", "strengths"],
        new_files=[SimpleUploadedFile("Chat transcript.pdf", PDF_BYTES, "application/pdf")],
    )
    plain = make_entry(
        practitioner,
        activity_type=ActivityType.BLOG_WRITTEN,
        status=Status.DRAFT,  # a complete entry would carry what it leaves empty
        what_learned="",
        impact="",
    )
    entries = list(
        Entry.objects.for_user(practitioner)
        .order_by("occurred_on", "pk")
        .prefetch_related("capabilities__framework", "tags", "evidence")
    )
    out = io.StringIO()
    write_leap2a(
        out,
        evidence_pack_id="0b6f1c2e-6d7a-4d5e-9b1f-3c2a1d0e9f8a",
        author="Alex Morgan",
        entries=entries,
        evidence_path=evidence_path,
        # As a Northern Ireland pack writes it: hours and credits, worked out from the minutes.
        credits_rule=profile("niscc").rule("credits"),
    )
    assert CREDITS_SCHEME in out.getvalue() and HOURS_SCHEME in out.getvalue()
    evidence = written.evidence.get()
    with evidence.file.open("rb") as stored:
        archive = zipped(
            {"leap2a.xml": out.getvalue().encode(), evidence_path(evidence): stored.read()}
        )

    back = {e.source_key: e for e in parse(archive)}

    chat = back[f"leap2a:portfolio:activity{written.pk}"]
    assert (chat.title, chat.activity_type, chat.occurred_on, chat.url) == (
        written.title,
        ActivityType.LIVE_CHAT,
        written.occurred_on,
        written.url,
    )
    assert (chat.platform, chat.duration_minutes, chat.hashtag) == (Platform.X, 60, "SWSCmedia")
    assert (chat.what_happened, chat.what_learned, chat.impact) == (
        written.what_happened,
        written.what_learned,
        written.impact,
    )
    assert (chat.is_peer_reflected, chat.peer_role, chat.peer_learning) == (
        True,
        "team manager",
        "We agreed to try it for a month.",
    )
    assert sorted(chat.capability_codes) == ["pcf:PCF5", "swe-standards:SWE4"]
    assert sorted(chat.tag_names) == ["strengths", "supervision"]
    assert chat.attachments == [Attachment("Chat transcript.pdf", PDF_BYTES)]
    other = back[f"leap2a:portfolio:activity{plain.pk}"]
    assert (other.title, other.activity_type, other.what_happened) == (
        plain.title,
        ActivityType.BLOG_WRITTEN,
        plain.what_happened,
    )
    assert (other.what_learned, other.impact, other.is_peer_reflected) == ("", "", False)
    assert (other.platform, other.duration_minutes, other.hashtag) == (
        plain.platform,
        plain.duration_minutes,
        "",
    )
    assert other.attachments == []


# --- Refused ----------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>&lol9;</title></entry></feed>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>&secret;</title>
<updated>2026-01-01T00:00:00Z</updated></entry></feed>"""


def feed(*entries: str) -> bytes:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#" xmlns:leap2="http://terms.leapspecs.org/">'
        + "".join(entries)
        + "</feed>"
    ).encode()


def file_entry(src: str) -> str:
    return (
        f'<entry><id>f</id><title>f.pdf</title><content src="{src}"/>'
        '<rdf:type rdf:resource="leap2:resource"/><updated>2026-01-01T00:00:00Z</updated>'
        "</entry>"
        "<entry><id>e</id><title>E</title><updated>2026-01-01T00:00:00Z</updated>"
        '<link rel="related" href="f"/></entry>'
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (BILLION_LAUGHS, "declares its own entities"),
        (zipped({"leap2a.xml": EXTERNAL_ENTITY}), "declares its own entities"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>', "the XML is damaged"),
        (PDF_BYTES, "not a Leap2A file we can read"),
        (b"<rss version='2.0'><channel/></rss>", "not a Leap2A export"),
        (zipped({"notes.txt": b"x", "a.xml": b"<x/>", "b.xml": b"<y/>"}), "no leap2a.xml"),
        (b"PK\x03\x04 this is not really a zip", "not a ZIP archive we can open"),
        (zipped({"leap2a.xml": MAHARA_XML, "../../evil.sh": b"rm"}), "leaves the archive"),
        (zipped({"leap2a.xml": feed(file_entry("../../etc/passwd"))}), "a file outside it"),
        (feed(file_entry("/etc/passwd")), "a file outside it"),
        (
            feed('<entry><id>f</id><rdf:type rdf:resource="leap2:resource"/></entry>'),
            "nothing to import",
        ),
        (feed("<entry><id>undated</id><title>No date</title></entry>"), "nothing to import"),
    ],
)
def test_bad_exports_are_refused_with_a_reason(source, message):
    with pytest.raises(ImportRejected, match=message):
        parse(source)


def test_an_export_unpacking_past_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 20_000
    bomb = zipped(
        {"leap2a.xml": MAHARA_XML, "files/artefact30-court-skills-handout.pdf": b"0" * 50_000}
    )
    with pytest.raises(ImportRejected, match="unpacks to more than"):
        parse(bomb)


def test_the_only_xml_file_in_an_archive_is_taken_for_the_export():
    [entry] = parse(
        zipped({"export/portfolio.xml": feed(file_entry("f.pdf")), "export/f.pdf": PDF_BYTES})
    )
    assert entry.attachments == [Attachment("f.pdf", PDF_BYTES)]


# --- Properties -------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_entries_or_a_rejection(data):
    try:
        result = parse(data)
    except ImportRejected as error:
        assert str(error)
    else:
        assert result


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.one_of(
            st.sampled_from(["leap2a.xml", "files/a.pdf", "../x", "/abs", "a\\..\\b", "d/"]),
            # Names zipfile can write (it drops a leading "/" and cuts a name at a NUL).
            st.text(min_size=1, max_size=20).filter(lambda name: zipfile.ZipInfo(name).filename),
        ),
        st.one_of(st.binary(max_size=200), st.just(MAHARA_XML), st.just(feed(file_entry("x")))),
        max_size=4,
    )
)
def test_any_zip_gives_entries_or_a_rejection(members):
    try:
        parse(zipped(members))
    except ImportRejected as error:
        assert str(error)


_words = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff<>"
    ),
    max_size=40,
)
_markup = st.sampled_from(
    ["<script>alert(1)</script>", "<b>", "</p><p>", '<img src="x" onerror="alert(1)">', "<br/>"]
)
_html = st.lists(st.one_of(_words, _markup), max_size=6).map("".join)
_moment = st.datetimes(min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2090, 12, 31))
_offset = st.integers(min_value=-14 * 4, max_value=14 * 4).map(
    lambda quarters: dt.timezone(dt.timedelta(minutes=15 * quarters))
)
_entry = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["entry", "activity", "ability", "resource", "selection", None]),
        "title": _html,
        "content": _html,
        "start": st.one_of(st.none(), st.dates(min_value=dt.date(1995, 1, 1))),
        "updated": st.one_of(
            st.none(), st.builds(lambda m, o: m.replace(tzinfo=o), _moment, _offset)
        ),
        "tags": st.lists(_words, max_size=3),
    }
)
LEARNING = {"entry", "activity", "ability", None}


def _leap2a_entry(index: int, entry: dict) -> str:
    kind = f'<rdf:type rdf:resource="leap2:{entry["kind"]}"/>' if entry["kind"] else ""
    start = (
        f'<leap2:date leap2:point="start">{entry["start"].isoformat()}</leap2:date>'
        if entry["start"]
        else ""
    )
    updated = f"<updated>{entry['updated'].isoformat()}</updated>" if entry["updated"] else ""
    tags = "".join(f"<category term={html.escape(t, quote=True)!r}/>" for t in entry["tags"])
    return (
        f'<entry><id>portfolio:artefact{index}</id><title type="html">'
        f"{html.escape(entry['title'])}</title>{kind}{start}{updated}"
        f'<content type="html">{html.escape(entry["content"])}</content>{tags}</entry>'
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_entry, min_size=1, max_size=6),
    st.sampled_from(["Europe/London", "America/Los_Angeles", "Pacific/Kiritimati"]),
)
def test_generated_exports_give_one_clean_entry_per_dated_learning_record(entries, zone):
    data = feed(*(_leap2a_entry(i, e) for i, e in enumerate(entries)))
    options = ImportOptions(time_zone=ZoneInfo(zone))
    expected = [e for e in entries if e["kind"] in LEARNING and (e["start"] or e["updated"])]

    if not expected:
        with pytest.raises(ImportRejected, match="nothing to import"):
            parse(zipped({"leap2a.xml": data}), options)
        return
    proposed = parse(zipped({"leap2a.xml": data}), options)

    assert len(proposed) == len(expected)
    assert len({p.source_key for p in proposed}) == len(proposed)
    for proposal, entry in zip(proposed, expected, strict=True):
        assert 0 < len(proposal.title) <= 200
        for text in (proposal.title, proposal.what_happened, *proposal.tag_names):
            assert "<" not in text and ">" not in text and "alert(1)" not in text
        assert proposal.occurred_on == (
            entry["start"] or entry["updated"].astimezone(options.time_zone).date()
        )
