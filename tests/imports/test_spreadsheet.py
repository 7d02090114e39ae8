"""The CSV importer: our own export back in unchanged, the template, the encodings and
separators spreadsheets write, and every kind of bad file refused whole with a clear message."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.importers import spreadsheet
from imports.importers.base import ImportOptions, ImportRejected, ProposedEntry
from imports.importers.spreadsheet import (
    TEMPLATE_EXAMPLES,
    parse_csv,
    write_csv_template,
    write_template_rows,
)
from packs.building import CSV_COLUMNS, write_entries_csv
from portfolio.entries import parse_tag_names, save_entry
from portfolio.frameworks import load_framework_data
from portfolio.models import ActivityType, Capability, Entry, Platform, Status
from regulators.profiles import profile
from tests.factories import make_entry

OPTIONS = ImportOptions(time_zone=ZoneInfo("Europe/London"))
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORMULA_LIKE = [
    "=SUM(A1)",
    "+44 20 7946 0000",
    "-2 hours of travel",
    "@home visits",
    "=1+1",
    "'=already quoted",
    "'just an apostrophe",
]
FIELDS = [
    "activity_type",
    "title",
    "occurred_on",
    "platform",
    "url",
    "duration_minutes",
    "hashtag",
    "what_happened",
    "what_learned",
    "impact",
    "is_peer_reflected",
    "peer_role",
    "peer_learning",
]


def parse(text: str, encoding: str = "utf-8") -> list[ProposedEntry]:
    return parse_csv(io.BytesIO(text.encode(encoding)), OPTIONS)


def rejection(data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        parse_csv(io.BytesIO(data), OPTIONS)
    return str(caught.value)


def without_key(entry: ProposedEntry) -> ProposedEntry:
    return dataclasses.replace(entry, source_key="")


# --- Our own export, round trip ------------------------------------------------------------


@pytest.fixture
def exported(practitioner):
    """Entries with everything a CSV makes awkward, saved the way the app saves them, and
    the CSV an evidence pack holds for them."""
    pcf1 = Capability.objects.get(framework__slug="pcf", code="PCF1")
    swe3 = Capability.objects.get(framework__slug="swe-standards", code="SWE3")
    awkward = make_entry(
        practitioner,
        title="=SUM(A1) and other things a spreadsheet would run",
        activity_type=ActivityType.LIVE_CHAT,
        platform=Platform.X,
        url="https://x.com/SWSCmedia/status/1850000000000000000",
        hashtag="SWSCmedia",
        duration_minutes=75,
        what_happened='First line\r\nSecond line, with "quotes", commas; and semicolons',
        what_learned="+44 20 7946 0000 is the duty line",
        impact="@home visits now start with a café chat ☕: Ünïcödé, 日本語, العربية",
        is_peer_reflected=True,
        peer_role="-fellow AMHP",
        peer_learning="'Tis worth asking: =1+1 is not a formula here",
    )
    save_entry(
        awkward,
        owner=practitioner,
        capabilities=[pcf1, swe3],
        tag_names=["social media", "MCA", "=risky"],
        new_files=[SimpleUploadedFile("notes.pdf", PDF_BYTES, content_type="application/pdf")],
    )
    make_entry(
        practitioner,
        title="Team discussion",
        activity_type=ActivityType.OTHER,
        platform="",
        url="https://www.communitycare.co.uk/",
        occurred_on=dt.date(2026, 4, 3),
        status=Status.DRAFT,  # a complete entry would carry what it leaves empty
        duration_minutes=None,
        what_happened="",
        what_learned="",
        impact="",
    )
    out = io.StringIO(newline="")
    entries = Entry.objects.for_user(practitioner).order_by("occurred_on", "pk")
    write_entries_csv(out, entries)
    return list(entries), out.getvalue()


def test_our_export_imports_back_unchanged(exported):
    logged, text = exported
    assert "'=SUM(A1)" in text and "evidence/" in text  # escaped, and a file listed

    proposed = parse(text)

    assert len(proposed) == len(logged)
    for entry, proposal in zip(logged, proposed, strict=True):
        for name in FIELDS:
            assert getattr(proposal, name) == getattr(entry, name), name
        assert proposal.capability_codes == [
            f"{c.framework.slug}:{c.code}" for c in entry.capabilities.all()
        ]
        assert proposal.tag_names == [tag.name for tag in entry.tags.all()]
        assert proposal.attachments == []  # the evidence column names files it cannot carry


def test_every_column_of_our_export_is_understood(exported):
    _, text = exported
    header = next(csv.reader(io.StringIO(text)))
    assert header == CSV_COLUMNS
    # A column this importer did not know would reject the whole file.
    assert parse(text)


def test_a_northern_ireland_export_with_credits_reads_back_by_its_minutes(exported):
    logged, _ = exported
    out = io.StringIO(newline="")
    write_entries_csv(out, logged, profile("niscc"))
    header = next(csv.reader(io.StringIO(out.getvalue())))
    assert {"hours", "pip_credits"} <= set(header)

    proposed = parse(out.getvalue())

    assert [p.duration_minutes for p in proposed] == [e.duration_minutes for e in logged]


def test_an_hours_column_of_someones_own_is_not_dropped_unnoticed():
    message = rejection(b"Date,Title,Hours\n2026-03-01,Course,1.5\n")

    assert "We do not know the column “Hours”" in message


def test_a_platform_left_blank_in_our_export_stays_blank(exported):
    _, text = exported
    plain = next(entry for entry in parse(text) if entry.title == "Team discussion")
    assert plain.url and plain.platform == ""


def test_importing_the_same_file_twice_proposes_the_same_keys(exported):
    _, text = exported
    first, again = parse(text), parse(text)
    assert [e.source_key for e in first] == [e.source_key for e in again]
    assert all(re.fullmatch(r"csv:[0-9a-f]{32}", e.source_key) for e in first)
    assert len({e.source_key for e in first}) == len(first)


def test_keys_follow_the_content_not_the_id_or_the_order(exported):
    _, text = exported
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    for row in body:
        row[0] = str(int(row[0]) + 1000)  # the same entries exported from another account
    out = io.StringIO()
    csv.writer(out).writerows([header, *reversed(body)])

    assert {e.source_key for e in parse(out.getvalue())} == {e.source_key for e in parse(text)}


def test_a_row_repeated_word_for_word_is_kept_with_its_own_key():
    entries = parse("Date,Title\n21/11/2026,Supervision\n21/11/2026,Supervision\n")
    assert [e.title for e in entries] == ["Supervision", "Supervision"]
    assert entries[0].source_key != entries[1].source_key


# --- The template ----------------------------------------------------------------------------


def test_the_template_imports_cleanly_to_its_examples():
    out = io.StringIO()
    write_csv_template(out)
    assert out.getvalue().startswith("\ufeffDate,Title,Type,Time spent,Link")

    entries = parse(out.getvalue())

    assert [without_key(e) for e in entries] == TEMPLATE_EXAMPLES


@pytest.mark.parametrize("user", ["practitioner", "other_practitioner", "programme_leader", None])
def test_anyone_can_download_the_template(request, client_for, user):
    client = client_for(request.getfixturevalue(user) if user else None)

    response = client.get(reverse("imports:csv_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cpd-log-template.csv"'
    entries = parse_csv(io.BytesIO(response.content), OPTIONS)
    assert [without_key(e) for e in entries] == TEMPLATE_EXAMPLES


def test_the_template_is_only_fetched(client):
    assert client.post(reverse("imports:csv_template")).status_code == 405


def test_the_notes_link_the_template_and_explain_evidence():
    html = render_to_string("imports/_csv_template_notes.html")
    assert f'href="{reverse("imports:csv_template")}"' in html
    assert "cannot carry them" in html


# --- What spreadsheets write -----------------------------------------------------------------


def test_excel_csv_utf8_with_a_bom_and_semicolons():
    entries = parse(
        "\ufeffDate;Title;Time spent;Tags\r\n"
        '21/11/2026;Café, “quotes” & £5;1,5 hours;"MCA; court skills"\r\n'
    )
    assert entries[0].title == "Café, “quotes” & £5"
    assert entries[0].duration_minutes == 90  # the decimal comma of the same locale
    assert entries[0].tag_names == ["MCA", "court skills"]


def test_tab_separated():
    [entry] = parse("Date\tTitle\tLink\n2026-11-21\tA, b; c\thttps://example.org/blog/x\n")
    assert entry.title == "A, b; c"


def test_excel_ansi_csv_is_read_as_cp1252():
    [entry] = parse("Date,Title\n21/11/2026,Practice educator’s view: £5 café\n", "cp1252")
    assert entry.title == "Practice educator’s view: £5 café"


def test_excel_unicode_text_is_read_as_utf16():
    [entry] = parse("Date\tTitle\n21/11/2026\tÜnïcödé 日本語\n", "utf-16")
    assert entry.title == "Ünïcödé 日本語"


def test_headings_match_whatever_their_case_spacing_or_underscores():
    [entry] = parse(
        "  DATE , title ,TIME_SPENT, What-I-Learned ,type_label, impact on practice\n"
        "21/11/2026,Reading,45m,Plenty,Webinar or e-learning,Some\n"
    )
    assert (entry.duration_minutes, entry.what_learned, entry.impact) == (45, "Plenty", "Some")
    assert entry.activity_type == ActivityType.WEBINAR


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-21", dt.date(2026, 11, 21)),
        ("21/11/2026", dt.date(2026, 11, 21)),
        ("21/11/26", dt.date(2026, 11, 21)),
        ("21 November 2026", dt.date(2026, 11, 21)),
        ("21 Nov 2026", dt.date(2026, 11, 21)),
        ("3/4/2026", dt.date(2026, 4, 3)),  # day first, never the US month first
    ],
)
def test_iso_and_uk_dates(text, day):
    assert parse(f"Date,Title\n{text},Reading\n")[0].occurred_on == day


@pytest.mark.parametrize(
    ("cells", "activity_type", "platform"),
    [
        ("webinar,,", ActivityType.WEBINAR, ""),
        ("Live chat joined,X/Twitter,https://x.com/a", ActivityType.LIVE_CHAT, Platform.X),
        (",,https://x.com/SWSCmedia/status/1", ActivityType.OTHER, Platform.X),
        (",,https://example.org/blog/post", ActivityType.OTHER, Platform.BLOG),
        (",linkedin,https://x.com/a", ActivityType.OTHER, Platform.LINKEDIN),
        (",,", ActivityType.OTHER, ""),
    ],
)
def test_types_by_label_or_value_and_a_blank_type_is_other(cells, activity_type, platform):
    [entry] = parse(f"Date,Title,Type,Platform,Link\n21/11/2026,Reading,{cells}\n")
    assert (entry.activity_type, entry.platform) == (activity_type, platform)


def test_a_link_without_a_scheme_is_read_as_https_like_the_form_does():
    [entry] = parse("Date,Title,Link\n21/11/2026,Reading,www.communitycare.co.uk/\n")
    assert entry.url == "https://www.communitycare.co.uk/"


def test_capabilities_are_pinned_to_their_framework_when_the_data_knows_them():
    [entry] = parse(
        'Date,Title,Capabilities\n21/11/2026,Reading,"pcf1; SWE3, XYZ9 pcf:PCF2 PCF1"\n'
    )
    assert entry.capability_codes == ["pcf:PCF1", "swe-standards:SWE3", "XYZ9", "pcf:PCF2"]


def test_a_code_two_frameworks_share_is_passed_on_bare(monkeypatch):
    frameworks = load_framework_data()
    shared = [{**f, "capabilities": [{"code": "K1", "name": "Knowledge"}]} for f in frameworks]
    monkeypatch.setattr(spreadsheet, "load_framework_data", lambda: shared)
    spreadsheet._framework_of_code.cache_clear()
    try:
        [entry] = parse("Date,Title,Capabilities\n21/11/2026,Reading,K1\n")
    finally:
        spreadsheet._framework_of_code.cache_clear()
    assert entry.capability_codes == ["K1"]


@pytest.mark.parametrize(
    ("cell", "title"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),  # the export's escape comes off
        ("'Tis the season", "'Tis the season"),  # an apostrophe of the text's own stays
        ("''=x", "'=x"),  # text that began "'=" was written with one more apostrophe
    ],
)
def test_only_the_exports_apostrophe_is_removed(cell, title):
    assert parse(f"Date,Title\n21/11/2026,{cell}\n")[0].title == title


def test_long_titles_are_trimmed_to_fit():
    [entry] = parse(f"Date,Title,What happened\n21/11/2026,{'x' * 250},{'y' * 5000}\n")
    assert entry.title == "x" * 200
    assert entry.what_happened == "y" * 5000


def test_blank_rows_and_columns_are_skipped():
    entries = parse("Date,Title,,\n21/11/2026,Reading,,\n,,,\n\n")
    assert [e.title for e in entries] == ["Reading"]


def test_a_value_under_a_blank_heading_is_not_dropped():
    message = rejection(b"Date,,Title\n21/11/2026,Lost otherwise,Reading\n")
    assert "Row 2: it has a value in a column the first line gives no heading." in message


# --- Bad files -------------------------------------------------------------------------------


def _workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty. The first line must name the columns: Date and Title"),
        (b"\r\n\r\n", "The file is empty"),
        (_workbook(), "This is a spreadsheet workbook, not a CSV file. In your spreadsheet"),
        (b"%PDF-1.4\n\x00\x01\x02binary", "This is not a CSV text file"),
        (b"Date,Title\n21/11/2026,\x81\x8d\x8f\x90\x9d\n", "This is not a CSV text file"),
        (b"Name,Email\nAlex,alex@example.org\n", "The file has no Date or Title column"),
        (b"Date,Notes\n21/11/2026,x\n", "The file has no Title column"),
        (b"Date,Title,Notes,Hours\n", "We do not know the columns “Notes”, “Hours”"),
        (b"Date,Title,Link,url\n", "The first line names the Link column twice"),
        (b"Date,Title\n", "The file names its columns but has no entries under them"),
        (b"Date,Title\n,\n", "has no entries under them"),
        (b'Date,Title\n21/11/2026,"' + b"x" * 200_000, "Check that every quote mark is paired"),
    ],
)
def test_bad_files_are_refused_with_a_message(data, message):
    assert message in rejection(data)


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    assert parse("Date,Title\n" + "21/11/2026,A\n" * 3)
    assert "more than 3 rows" in rejection(b"Date,Title\n" + b"21/11/2026,A\n" * 4)


def test_too_large(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_BYTES", 100)
    assert "larger than" in rejection(b"Date,Title\n" + b"21/11/2026,A\n" * 10)


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ("31/02/2026,Reading,,,,", "“31/02/2026” is not a date we understand"),
        ("04/21/2026,Reading,,,,", "“04/21/2026” is not a date we understand"),
        ("1999-12-31,Reading,,,,", "the date 31 December 1999 is before 2000"),
        (",Reading,,,,", "it has no date"),
        ("21/11/2026,,,,,", "it has no title"),
        ("21/11/2026,Reading,Podcast,,,", "“Podcast” is not a type we know"),
        ("21/11/2026,Reading,,Myspace,,", "“Myspace” is not a platform we know"),
        ("21/11/2026,Reading,,,an hour,", "time spent: “an hour” is not a time we understand"),
        ("21/11/2026,Reading,,,25h,", "time spent: That is more than 24 hours"),
        ("21/11/2026,Reading,,,,javascript:alert(1)", "the link “javascript:alert(1)” is not"),
        ("21/11/2026,Reading,,,,ftp://example.org/f", "the link “ftp://example.org/f” is not"),
        ("21/11/2026,Reading,,,,,maybe", "“Discussed with a peer” says “maybe”: write Yes or No"),
        (f"21/11/2026,Reading,,,,,,{'h' * 61}", "the hashtag is longer than 60 characters"),
        (f"21/11/2026,Reading,,,,,,,{'r' * 121}", "the peer's role is longer than 120"),
        ("21/11/2026,Reading,,,,,,,,stray", "it has a value in a column the first line gives no"),
    ],
)
def test_a_bad_row_is_named_with_its_problem(cells, problem):
    header = "Date,Title,Type,Platform,Time spent,Link,Discussed with a peer,Hashtag,Peer's role"
    message = rejection(f"{header}\n21/11/2026,Fine\n{cells}\n".encode())
    assert message.startswith("Nothing was imported: 1 row needs fixing first.")
    assert f"Row 3: {problem}" in message


def test_every_problem_in_a_row_is_listed():
    message = rejection(b"Date,Title,Time spent\n31/02/2026,,an hour\n")
    assert "Row 2: “31/02/2026” is not a date we understand" in message
    assert "2026-11-21; it has no title; time spent: “an hour”" in message
    assert "“an hour” is not a time" in message


def test_up_to_ten_bad_rows_are_listed_and_nothing_is_imported():
    rows = ["21/11/2026,Good"] + [f"{n}/13/2026,Bad" for n in range(1, 13)]
    message = rejection(("Date,Title\n" + "\n".join(rows) + "\n").encode())
    lines = message.splitlines()
    assert lines[0].startswith("Nothing was imported: 12 rows need fixing first.")
    assert [line.split(":")[0] for line in lines[1:11]] == [f"Row {n}" for n in range(3, 13)]
    assert lines[11] == "…and 2 more rows."


# --- Properties ------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_entries_or_a_rejection(data):
    try:
        assert isinstance(parse_csv(io.BytesIO(data), OPTIONS), list)
    except ImportRejected as rejected:
        assert str(rejected)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.text(max_size=30) | st.sampled_from(FORMULA_LIKE), max_size=17),
        max_size=6,
    )
)
def test_any_cells_under_a_good_header_give_entries_or_a_rejection(rows):
    out = io.StringIO()
    csv.writer(out).writerows([CSV_COLUMNS, *rows])
    try:
        assert isinstance(parse(out.getvalue()), list)
    except ImportRejected as rejected:
        assert str(rejected)


def _typed(text: str) -> bool:
    """Text as the entry form stores it: trimmed."""
    return text == text.strip()


_line = (
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
    | st.sampled_from(FORMULA_LIKE)
).filter(_typed)
_prose = st.just("") | st.lists(_line, min_size=1, max_size=3).map("\r\n".join)
_tag = (
    st.text(st.characters(categories=("L", "N", "P", "S")) | st.just(" "), min_size=1, max_size=30)
    .filter(lambda name: parse_tag_names(name) == [name] and ";" not in name)
    .filter(_typed)
)
_capability_codes = [
    f"{framework['slug']}:{capability['code']}"
    for framework in load_framework_data()
    for capability in framework["capabilities"]
]
_entries = st.builds(
    ProposedEntry,
    source_key=st.just(""),
    activity_type=st.sampled_from(ActivityType.values),
    title=_line.filter(lambda title: len(title) <= 200),
    occurred_on=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    platform=st.sampled_from(["", *Platform.values]),
    url=st.sampled_from(
        [
            "",
            "https://www.communitycare.co.uk/",
            "http://example.org/a?b=1&c=2",
            "https://x.com/s/1",
        ]
    ),
    duration_minutes=st.none() | st.integers(1, 24 * 60),
    hashtag=st.just("") | st.from_regex(r"[A-Za-z0-9_]{1,60}", fullmatch=True),
    what_happened=_prose,
    what_learned=_prose,
    impact=_prose,
    is_peer_reflected=st.booleans(),
    peer_role=st.just("") | _line,
    peer_learning=_prose,
    capability_codes=st.lists(st.sampled_from(_capability_codes), unique=True),
    tag_names=st.lists(_tag, max_size=4, unique_by=str.casefold),
    attachments=st.just([]),
)


@settings(max_examples=75, deadline=None)
@given(st.lists(_entries, min_size=1, max_size=4))
def test_rows_written_in_the_templates_columns_read_back_the_same(entries):
    out = io.StringIO()
    write_template_rows(out, entries)

    parsed = parse(out.getvalue())

    assert [without_key(e) for e in parsed] == entries
