"""Spreadsheets: an evidence pack's activities.csv back in unchanged, and the template for the
CPD logs people already keep in Excel, Numbers or Google Sheets.

Every row is checked before anything is proposed, and a file with any bad row is rejected
whole, listing the problems with their row numbers: fixing a spreadsheet and uploading it again
is easy, while half a log imported (and the other half to pick out by hand) is not.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, BinaryIO, TextIO

from django import forms
from django.core.exceptions import ValidationError

from core.durations import DurationError, format_duration, parse_duration
from packs.building import spreadsheet_safe, undo_spreadsheet_safe
from portfolio.entries import parse_tag_names
from portfolio.entry_rules import EARLIEST_DATE
from portfolio.forms import DATE_INPUT_FORMATS
from portfolio.frameworks import load_framework_data
from portfolio.link_kinds import guess_link_kind
from portfolio.models import ActivityType, Entry, Platform, http_url_validator

from .archives import is_zip
from .base import ImportOptions, ImportRejected, ProposedEntry

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_PROBLEMS_LISTED = 10
DELIMITERS = (",", ";", "\t")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
SAVE_AS_CSV = (
    "In your spreadsheet choose File › Save as (or Download) › CSV UTF-8, then upload that."
)


@dataclass(frozen=True)
class Column:
    name: str  # the field it fills, or "duration" / "capabilities" / "tags"
    heading: str  # as the template names it
    also: tuple[str, ...] = ()  # other headings that mean the same: our export's first


COLUMNS = (
    Column("occurred_on", "Date"),
    Column("title", "Title"),
    Column("activity_type", "Type", ("type_label", "activity_type")),
    Column("duration", "Time spent", ("duration_minutes", "duration")),
    Column("url", "Link", ("url",)),
    Column("platform", "Platform"),
    Column("hashtag", "Hashtag"),
    Column("what_happened", "What happened"),
    Column("what_learned", "What I learned", ("what_learned", "what did I learn")),
    Column("impact", "Impact on practice", ("impact",)),
    Column("is_peer_reflected", "Discussed with a peer", ("is_peer_reflected",)),
    Column("peer_role", "Peer's role", ("peer_role",)),
    Column("peer_learning", "What we discussed", ("peer_learning",)),
    Column("capabilities", "Capabilities"),
    Column("tags", "Tags"),
)
REQUIRED = ("occurred_on", "title")
# Where a row has a cell the first line gives no heading: empty there is fine (spreadsheets
# often save a few blank columns), anything else would be lost, so the row is refused.
UNNAMED = Column("", "")
# In our own export: "id" is the entry's number in the account it came from, and "evidence"
# lists the paths of files inside the pack, which a CSV cannot carry.
IGNORED_HEADINGS = ("id", "evidence")
# Also in our export, worked out from its duration_minutes column: read only beside it, so
# that someone's own "Hours" column is not dropped unnoticed.
DERIVED_HEADINGS = ("hours", "pipcredits")


def _key(text: str) -> str:
    """Headings and choices compared as people type them: "What I learned", "what_learned"
    and "WHAT-I-LEARNED " are one."""
    return re.sub(r"[\W_]+", "", text.casefold())


_COLUMN_BY_KEY = {_key(h): c for c in COLUMNS for h in (c.heading, c.name, *c.also)}
_TYPES = {_key(k): v for v, label in ActivityType.choices for k in (v, label)}
_PLATFORMS = {_key(k): v for v, label in Platform.choices for k in (v, label)}
_TITLE_LENGTH = Entry._meta.get_field("title").max_length
_HASHTAG_LENGTH = Entry._meta.get_field("hashtag").max_length
_PEER_ROLE_LENGTH = Entry._meta.get_field("peer_role").max_length
_URL_FIELD = forms.URLField(
    max_length=Entry._meta.get_field("url").max_length,
    assume_scheme="https",  # as the entry form reads a link typed without one
    validators=[http_url_validator],
)


class RowProblem(ValueError):
    """One thing wrong with one cell, in words for the row's line in the list of problems."""


# --- Reading the file ----------------------------------------------------------------------


def parse_csv(source: BinaryIO, options: ImportOptions) -> list[ProposedEntry]:
    """Every row of a CSV file as a proposed entry, or ImportRejected saying what to fix.
    ``options`` carries nothing a spreadsheet needs: its dates are days, not moments."""
    text = _decode(_read(source))
    delimiter = _delimiter(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ImportRejected(f"The file is empty. {_columns_we_need()}")
        columns = _columns(header)
        entries, problems = _entries(columns, _numbered(rows))
    except csv.Error as error:
        raise ImportRejected(
            f"The file stops being readable as CSV near line {rows.line_num} ({error}). "
            f"Check that every quote mark is paired. {SAVE_AS_CSV}"
        ) from error
    if problems:
        raise ImportRejected(_problems_message(problems))
    if not entries:
        raise ImportRejected("The file names its columns but has no entries under them.")
    return entries


def _read(source: BinaryIO) -> bytes:
    if is_zip(source):  # .xlsx, .ods and .numbers are all ZIP archives
        raise ImportRejected(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS_CSV}")
    data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRejected(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files."
        )
    return data


def _decode(data: bytes) -> str:
    """The file's text. UTF-8 first, with or without the byte-order mark Excel writes for "CSV
    UTF-8". Excel's plain "CSV (Comma delimited)" is written in Windows' own code page instead,
    which for UK English is cp1252: £, é and curly quotes arrive as single bytes that are not
    UTF-8, while cp1252 text hardly ever happens to be valid UTF-8, so trying cp1252 second
    reads those files without misreading UTF-8 ones. Excel's "Unicode text" is UTF-16."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # no text file holds NUL characters: this is a program, an image or a PDF
        return text
    raise ImportRejected(f"This is not a CSV text file. {SAVE_AS_CSV}")


def _delimiter(text: str) -> str:
    """The separator the header line uses most: commas, or the semicolons Excel writes where a
    comma is the decimal point, or tabs. csv.Sniffer is not used: it guesses from the whole
    sample, and prose full of commas and semicolons misleads it."""
    header_line = text.split("\n", 1)[0]
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])  # the first, a comma, on a tie


def _columns_we_need() -> str:
    optional = ", ".join(c.heading for c in COLUMNS if c.name not in REQUIRED)
    return (
        "The first line must name the columns: Date and Title are needed; "
        f"{optional} are optional. The template shows them all."
    )


def _columns(header: list[str]) -> list[Column | None]:
    """The column each cell of a row belongs to (None: ignored), or ImportRejected for a
    header that lacks a required column, names one twice or names one we do not know."""
    columns: list[Column | None] = []
    unknown: list[str] = []
    ignored = IGNORED_HEADINGS
    if "durationminutes" in {_key(heading) for heading in header}:
        ignored += DERIVED_HEADINGS
    for heading in header:
        key = _key(heading)
        column = _COLUMN_BY_KEY.get(key) or (UNNAMED if not key else None)
        if column is None and key not in ignored:
            unknown.append(heading.strip())
        if column and column is not UNNAMED and column in columns:
            raise ImportRejected(
                f"The first line names the {column.heading} column twice: rename or delete "
                "one of them, so that we know which to import."
            )
        columns.append(column)
    missing = [c.heading for c in COLUMNS if c.name in REQUIRED and c not in columns]
    if missing:
        raise ImportRejected(f"The file has no {' or '.join(missing)} column. {_columns_we_need()}")
    if unknown:
        raise ImportRejected(
            f"We do not know the column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(f'“{name[:60]}”' for name in unknown[:10])}. Rename "
            f"{'each' if len(unknown) > 1 else 'it'} to a column the template has, or delete "
            f"{'them' if len(unknown) > 1 else 'it'} so that nothing in it is lost unnoticed. "
            f"{_columns_we_need()}"
        )
    return columns


def _numbered(rows: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Rows with the number a spreadsheet shows for them (the header is row 1), at most
    MAX_ROWS of them. A blank row is skipped: spreadsheets often end with a few."""
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportRejected(
                f"The file has more than {MAX_ROWS:,} rows: split it into smaller files."
            )
        if any(cell.strip() for cell in cells):
            yield number, cells


# --- Reading a row -------------------------------------------------------------------------


def _entries(
    columns: list[Column | None], rows: Iterable[tuple[int, list[str]]]
) -> tuple[list[ProposedEntry], list[str]]:
    entries: list[ProposedEntry] = []
    problems: list[str] = []
    seen: Counter[str] = Counter()
    for number, cells in rows:
        values: dict[str, str] = {}
        row_problems = []
        for index, cell in enumerate(cells):
            column = columns[index] if index < len(columns) else UNNAMED
            if column is UNNAMED and cell.strip() and not row_problems:
                row_problems.append("it has a value in a column the first line gives no heading")
            elif column and column is not UNNAMED:
                values[column.name] = undo_spreadsheet_safe(cell).strip()
        entry = _entry(values, row_problems)
        if row_problems:
            problems.append(f"Row {number}: {'; '.join(row_problems)}.")
        elif entry is not None:
            content = _content_key(entry)
            seen[content] += 1
            entry.source_key = _source_key(content, seen[content])
            entries.append(entry)
    return entries, problems


def _entry(values: dict[str, str], problems: list[str]) -> ProposedEntry | None:
    """The row's entry, adding what is wrong with each of its cells to ``problems``."""

    def read(name: str, convert: Callable[[str], Any], default: Any = None) -> Any:
        try:
            return convert(values.get(name, ""))
        except RowProblem as problem:
            problems.append(str(problem))
            return default

    # Read in the template's order of columns, so problems are listed as the row shows them.
    occurred_on = read("occurred_on", _date)
    title = read("title", _title, "")
    activity_type = read("activity_type", _activity_type, ActivityType.OTHER)
    duration_minutes = read("duration", _duration)
    url = read("url", _url, "")
    platform = read("platform", _platform, "")
    if not values.get("activity_type") and not platform and url:
        platform = guess_link_kind(url).platform
    entry = ProposedEntry(
        source_key="",
        activity_type=activity_type,
        title=title,
        occurred_on=occurred_on,
        platform=platform,
        url=url,
        duration_minutes=duration_minutes,
        hashtag=read("hashtag", _hashtag, ""),
        what_happened=values.get("what_happened", ""),
        what_learned=values.get("what_learned", ""),
        impact=values.get("impact", ""),
        is_peer_reflected=read("is_peer_reflected", _yes_or_no, False),
        peer_role=read("peer_role", _peer_role, ""),
        peer_learning=values.get("peer_learning", ""),
        capability_codes=_capability_codes(values.get("capabilities", "")),
        tag_names=parse_tag_names(values.get("tags", "").replace(";", ",")),
    )
    return None if problems else entry


def _title(text: str) -> str:
    if not text:
        raise RowProblem("it has no title")
    return text[:_TITLE_LENGTH]


def _date(text: str) -> dt.date:
    if not text:
        raise RowProblem("it has no date")
    for date_format in DATE_INPUT_FORMATS:
        try:
            day = dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
        if day < EARLIEST_DATE:
            raise RowProblem(f"the date {day:%-d %B %Y} is before 2000: check the year")
        return day
    # Never month-first: 03/04/2026 is the 3rd of April here, and 04/21/2026 is refused.
    raise RowProblem(
        f"“{text[:40]}” is not a date we understand: write it as 21/11/2026 or 2026-11-21"
    )


def _activity_type(text: str) -> str:
    if not text:
        return ActivityType.OTHER
    if _key(text) not in _TYPES:
        raise RowProblem(
            f"“{text[:60]}” is not a type we know (they are: "
            f"{', '.join(f'“{label}”' for label in ActivityType.labels)})"
        )
    return _TYPES[_key(text)]


def _platform(text: str) -> str:
    if text and _key(text) not in _PLATFORMS:
        raise RowProblem(
            f"“{text[:60]}” is not a platform we know (they are: "
            f"{', '.join(f'“{label}”' for label in Platform.labels)})"
        )
    return _PLATFORMS.get(_key(text), "")


def _duration(text: str) -> int | None:
    if not text:
        return None
    try:
        return parse_duration(text)
    except DurationError as error:
        raise RowProblem(f"time spent: {str(error).rstrip('.')}") from error


def _url(text: str) -> str:
    if not text:
        return ""
    try:
        return _URL_FIELD.clean(text)
    except ValidationError as error:
        raise RowProblem(
            f"the link “{text[:80]}” is not a web address starting with http:// or https://"
        ) from error


def _hashtag(text: str) -> str:
    hashtag = text.lstrip("#")
    if len(hashtag) > _HASHTAG_LENGTH:
        raise RowProblem(f"the hashtag is longer than {_HASHTAG_LENGTH} characters")
    return hashtag


def _peer_role(text: str) -> str:
    if len(text) > _PEER_ROLE_LENGTH:
        raise RowProblem(f"the peer's role is longer than {_PEER_ROLE_LENGTH} characters")
    return text


def _yes_or_no(text: str) -> bool:
    word = text.casefold()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise RowProblem(f"“Discussed with a peer” says “{text[:20]}”: write Yes or No")
    return word in TRUE_WORDS


@cache
def _framework_of_code() -> dict[str, str | None]:
    """Capability code (upper case) -> its framework's slug, or None where two frameworks
    use the same code: codes are unique only within a framework."""
    frameworks: dict[str, set[str]] = {}
    for framework in load_framework_data():
        for capability in framework["capabilities"]:
            frameworks.setdefault(capability["code"].upper(), set()).add(framework["slug"])
    return {
        code: next(iter(slugs)) if len(slugs) == 1 else None for code, slugs in frameworks.items()
    }


def _capability_codes(text: str) -> list[str]:
    """ "PCF1; SWE3" -> ["pcf:PCF1", "swe-standards:SWE3"]. Our export writes bare codes; a code
    found in one framework only is pinned to it here, one the data does not place is passed on
    as it is, for the staging step to resolve or report."""
    codes: dict[str, None] = {}
    for code in re.split(r"[;,\s]+", text):
        if not code:
            continue
        slug = None if ":" in code else _framework_of_code().get(code.upper())
        codes[f"{slug}:{code.upper()}" if slug else code] = None
    return list(codes)


def _content_key(entry: ProposedEntry) -> str:
    values = asdict(entry)
    del values["source_key"], values["attachments"]
    return json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)


def _source_key(content: str, occurrence: int) -> str:
    """Stable for the same row in any copy of the file, in anyone's account: the id column is
    not (it numbers entries in the account the export came from). A row repeated word for word
    is counted, so each copy is its own entry and none is lost."""
    digest = hashlib.sha256(f"{occurrence}\n{content}".encode()).hexdigest()
    return f"csv:{digest[:32]}"


def _problems_message(problems: list[str]) -> str:
    listed = problems[:MAX_PROBLEMS_LISTED]
    more = len(problems) - len(listed)
    return "\n".join(
        [
            f"Nothing was imported: {len(problems)} "
            f"{'rows need' if len(problems) > 1 else 'row needs'} fixing first. "
            "Correct them in your spreadsheet and upload the file again.",
            *listed,
            *([f"…and {more} more row{'s' if more > 1 else ''}."] if more else []),
        ]
    )


# --- The template ----------------------------------------------------------------------------

TEMPLATE_FILENAME = "cpd-log-template.csv"

TEMPLATE_EXAMPLES = [
    ProposedEntry(
        source_key="",
        activity_type=ActivityType.LIVE_CHAT,
        title="#SWSCmedia chat: keeping professional boundaries online",
        occurred_on=dt.date(2026, 10, 8),
        platform=Platform.X,
        url="https://x.com/hashtag/SWSCmedia",
        duration_minutes=60,
        hashtag="SWSCmedia",
        what_happened=(
            "Joined the fortnightly #SWSCmedia chat on how social workers keep professional "
            "boundaries when the people they support find them online."
        ),
        what_learned=(
            "Several practitioners keep a separate professional account, and agree with "
            "their manager how to answer a friend request from someone they support."
        ),
        impact=(
            "I have checked my own privacy settings and will talk about online contact at the "
            "start of new pieces of work, so boundaries are clear before they are tested."
        ),
        is_peer_reflected=True,
        peer_role="Practice educator",
        peer_learning=(
            "We agreed what I would say if a young person I work with messaged me, and wrote it "
            "into my supervision notes."
        ),
        capability_codes=["pcf:PCF1", "swe-standards:SWE3"],
        tag_names=["social media", "boundaries"],
    ),
    ProposedEntry(
        source_key="",
        activity_type=ActivityType.READING,
        title="Community Care: what good supervision looks like",
        occurred_on=dt.date(2026, 10, 21),
        platform=Platform.WEBSITE,
        url="https://www.communitycare.co.uk/",
        duration_minutes=30,
        what_happened="Read a Community Care article on reflective supervision in busy teams.",
        what_learned=(
            "Supervision that only reviews cases leaves no room to reflect; a few minutes set "
            "aside for it each time makes a difference."
        ),
        impact=(
            "I will bring one case each month to supervision to reflect on rather than review, "
            "so decisions for the families I work with are less rushed."
        ),
        capability_codes=["pcf:PCF5"],
        tag_names=["supervision"],
    ),
]


def write_template_rows(out: TextIO, entries: Iterable[ProposedEntry]) -> None:
    """``entries`` in the template's columns, as a spreadsheet user would type them."""
    writer = csv.writer(out)
    writer.writerow([column.heading for column in COLUMNS])
    for entry in entries:
        cells = {
            "occurred_on": f"{entry.occurred_on:%d/%m/%Y}",
            "title": entry.title,
            "activity_type": ActivityType(entry.activity_type).label,
            "duration": format_duration(entry.duration_minutes),
            "url": entry.url,
            "platform": Platform(entry.platform).label if entry.platform else "",
            "hashtag": f"#{entry.hashtag}" if entry.hashtag else "",
            "what_happened": entry.what_happened,
            "what_learned": entry.what_learned,
            "impact": entry.impact,
            "is_peer_reflected": "Yes" if entry.is_peer_reflected else "No",
            "peer_role": entry.peer_role,
            "peer_learning": entry.peer_learning,
            "capabilities": ", ".join(c.rpartition(":")[2] for c in entry.capability_codes),
            "tags": ", ".join(entry.tag_names),
        }
        writer.writerow([spreadsheet_safe(cells[column.name]) for column in COLUMNS])


def write_csv_template(out: TextIO) -> None:
    """The template offered for download: the columns and two example rows. It starts with
    a byte-order mark, without which Excel reads UTF-8 as its own code page and shows
    "Practice educator’s" as "Practice educatorâ€™s"."""
    out.write("\ufeff")
    write_template_rows(out, TEMPLATE_EXAMPLES)
