"""Leap2A (a Mahara or PebblePad export, or our own) into proposed entries with their files.

A Leap2A export is an Atom feed, leap2a.xml, usually in a ZIP with the files it refers to. Its
entries are typed with rdf:type: learning records (a journal post, an activity, an ability, an
achievement, a plan, a meeting, a publication) become proposed entries; files (leap2:resource)
become attachments of the entries that link to them; selections (folders, collections, pages,
journals) and people are not entries and are left out.

An entry without a usable date (Atom requires one, so this is rare) is left out, since an
entry needs one. A file an entry links to but the archive lacks (or a bare leap2a.xml uploaded
without its ZIP) does not stop the import: the entry is still proposed, with a line in "What
happened" naming the missing file so that its owner knows to add it. A file path that leaves
the archive is an attack, not an accident, and refuses the whole import.

Entries from our own export (packs/leap2a.py) come back whole: the sections of their text
return to What happened / What I learned / Impact / the peer discussion, their type returns
from its category, and capabilities return as "framework-slug:code".
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree
from xml.etree.ElementTree import Element
from zoneinfo import ZoneInfo

from packs.leap2a import (
    ATOM,
    CAPABILITY_SCHEME_PREFIX,
    DERIVED_SCHEMES,
    DURATION_SCHEME,
    HASHTAG_SCHEME,
    IMPACT,
    LEAP2,
    PEER_DISCUSSION,
    PLATFORM_SCHEME,
    RDF,
    TYPE_SCHEME,
    WHAT_HAPPENED,
    WHAT_LEARNED,
)
from portfolio.entries import parse_tag_names
from portfolio.link_kinds import web_address
from portfolio.models import ActivityType

from .archives import SafeArchive, is_zip, safe_member_name
from .base import (
    Attachment,
    ImportOptions,
    ImportRejected,
    ProposedEntry,
    source_key,
    unpacked_limit,
)
from .safe_xml import parse_xml
from .text import clean_text, html_to_text, shorten

TITLE_LENGTH = 200
FILE_NAME_LENGTH = 255
XHTML = "http://www.w3.org/1999/xhtml"
WHAT_LEAP2A_IS = (
    "Upload the .zip your e-portfolio (Mahara or PebblePad) exported in Leap2A format, or the "
    "leap2a.xml inside it."
)

# Leap2A types that record learning, with the type of entry each becomes. A journal post
# (leap2:entry, also any entry without a type) is a reflection on some learning, not
# necessarily a blog, so it is "Other" until its owner says what it was.
LEARNING_TYPES: dict[str, str] = {
    "entry": ActivityType.OTHER,
    "activity": ActivityType.OTHER,
    "ability": ActivityType.OTHER,
    "achievement": ActivityType.OTHER,
    "plan": ActivityType.OTHER,
    "publication": ActivityType.OTHER,
    "meeting": ActivityType.PEER_DISCUSSION,
}
# Links from an entry to the files that go with it, and from a file to its entry.
ATTACHMENT_RELS = {
    "related",
    "enclosure",
    "has_part",
    "has_attachment",
    "has_evidence",
    "is_supported_by",
}
ATTACHED_TO_RELS = {"supports", "is_part_of", "is_attachment_of", "is_evidence_of"}
# Our own export's capability categories; its other own schemes are matched first.
_CAPABILITY_SCHEME = re.compile(rf"{re.escape(CAPABILITY_SCHEME_PREFIX)}([a-z0-9-]+)#")
_TYPES_BY_LABEL = {label.lower(): value for value, label in ActivityType.choices}
_SECTIONS = {WHAT_HAPPENED: "what_happened", WHAT_LEARNED: "what_learned", IMPACT: "impact"}
_SECTION_HEADING = re.compile(
    rf"^(?:({'|'.join(map(re.escape, _SECTIONS))})|{re.escape(PEER_DISCUSSION)}(?: \((.*)\))?):\n",
    re.MULTILINE,
)

_A = f"{{{ATOM}}}"
_L = f"{{{LEAP2}}}"
_R = f"{{{RDF}}}"


@dataclass
class _Entry:
    id: str
    kind: str
    element: Element
    links: list[tuple[str, str]] = field(default_factory=list)  # (rel, href)


def parse_leap2a(source: BinaryIO, options: ImportOptions) -> list[ProposedEntry]:
    """One proposed entry per learning record, with the files linked to it."""
    archive, feed_name = _open(source)
    if archive is None:
        data = source.read(unpacked_limit() + 1)
        if len(data) > unpacked_limit():
            raise ImportRejected("This file is larger than we can import at once.")
    else:
        data = archive.read(feed_name)
    root = parse_xml(data, "a Leap2A file")
    if root.tag != f"{_A}feed":
        raise ImportRejected(f"This XML file is not a Leap2A export. {WHAT_LEAP2A_IS}")
    entries = {entry.id: entry for entry in _entries(root)}
    attached = _attachments_by_entry(entries)
    files = _ExportFiles(archive, posixpath.dirname(feed_name))
    proposed = []
    for entry in entries.values():
        if entry.kind in LEARNING_TYPES and (proposal := _proposed_entry(entry, options)):
            files.attach(proposal, attached[entry.id])
            proposed.append(proposal)
    if not proposed:
        raise ImportRejected(
            "This Leap2A export has no journal posts, activities or other learning records in "
            "it, so there is nothing to import."
        )
    return proposed


def _open(source: BinaryIO) -> tuple[SafeArchive | None, str]:
    """The archive (None for a bare XML file) and the path of the feed inside it."""
    if not is_zip(source):
        return None, "leap2a.xml"
    archive = SafeArchive(source)
    name = archive.find("leap2a.xml")
    if name is None:
        xml_files = [n for n in archive.names() if n.lower().endswith(".xml")]
        if len(xml_files) != 1:
            raise ImportRejected(
                f"This ZIP has no leap2a.xml in it, so it is not a Leap2A export. {WHAT_LEAP2A_IS}"
            )
        name = xml_files[0]
    return archive, name


def _entries(root: Element) -> Iterator[_Entry]:
    for element in root.iterfind(f"{_A}entry"):
        entry_id = (element.findtext(f"{_A}id") or "").strip()
        if not entry_id:
            continue
        rdf_type = element.find(f"{_R}type")
        # An Atom entry with no type is a plain Leap2A entry.
        kind = "entry" if rdf_type is None else _leap2_term(rdf_type.get(f"{_R}resource", ""))
        links = [
            (_leap2_term(link.get("rel", "")), link.get("href", "").strip())
            for link in element.iterfind(f"{_A}link")
        ]
        yield _Entry(entry_id, kind, element, links)


def _leap2_term(value: str) -> str:
    """ "leap2:has_part" and "http://terms.leapspecs.org/has_part" are both "has_part"; Atom's
    own words ("related", "enclosure") stay as they are."""
    value = value.strip()
    for prefix in ("leap2:", LEAP2):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def _attachments_by_entry(entries: dict[str, _Entry]) -> dict[str, list[tuple[str, str]]]:
    """Entry id -> (file name, path in the archive) of each file linked to it, either way."""
    attached: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry in entries.values():
        if entry.kind in LEARNING_TYPES:
            for rel, href in entry.links:
                target = entries.get(href)
                if rel not in ATTACHMENT_RELS:
                    continue
                if target is not None and target.kind == "resource":
                    _add_file(attached[entry.id], target)
                elif target is None and _is_local_path(href):
                    _add_file_path(attached[entry.id], posixpath.basename(href), href)
        elif entry.kind == "resource":
            for rel, href in entry.links:
                target = entries.get(href)
                if rel in ATTACHED_TO_RELS and target is not None and target.kind in LEARNING_TYPES:
                    _add_file(attached[href], entry)
    return attached


def _add_file(files: list[tuple[str, str]], resource: _Entry) -> None:
    content = resource.element.find(f"{_A}content")
    path = content.get("src", "") if content is not None else ""
    if not _is_local_path(path):
        path = next((href for rel, href in resource.links if rel == "enclosure"), "")
    if not _is_local_path(path):
        return  # a web link or a note, not a file in the export
    title = " ".join(clean_text(resource.element.findtext(f"{_A}title") or "").split())
    _add_file_path(files, posixpath.basename(title) or posixpath.basename(path), path)


def _add_file_path(files: list[tuple[str, str]], name: str, path: str) -> None:
    entry = (shorten(name, FILE_NAME_LENGTH), path)
    if entry not in files:  # linked both ways, as our own export does
        files.append(entry)


def _is_local_path(href: str) -> bool:
    return bool(href) and not urlsplit(href).scheme and not href.startswith("#")


class _ExportFiles:
    """The files of an export, found relative to its leap2a.xml."""

    def __init__(self, archive: SafeArchive | None, folder: str):
        self.archive = archive
        self.folder = folder
        self.members = set(archive.names()) if archive else set()

    def attach(self, proposal: ProposedEntry, files: list[tuple[str, str]]) -> None:
        """Add each (name, path) file to ``proposal``, or a note that the export lacks it."""
        missing = []
        for name, path in files:
            content = self.read(path)
            if content is None:
                missing.append(name)
            else:
                proposal.attachments.append(Attachment(name=name, content=content))
        notes = [f"Not imported: the file “{name}” was not in the export." for name in missing]
        if notes:
            proposal.what_happened = "\n\n".join(filter(None, [proposal.what_happened, *notes]))

    def read(self, path: str) -> bytes | None:
        """The file's content, or None when the export lacks it; refuses a path leaving it."""
        name = safe_member_name(posixpath.normpath(posixpath.join(self.folder, path)))
        if name is None:
            raise ImportRejected(
                f"The export refers to a file outside it ({path[:80]!r}), so we will not import it."
            )
        for candidate in (name, unquote(name)):
            if candidate in self.members:
                return self.archive.read(candidate)
        return None


def _proposed_entry(entry: _Entry, options: ImportOptions) -> ProposedEntry | None:
    element = entry.element
    occurred_on = _occurred_on(element, options.time_zone)
    if occurred_on is None:
        return None
    categories = element.findall(f"{_A}category")
    activity_type = LEARNING_TYPES[entry.kind]
    capability_codes: list[str] = []
    tags: list[str] = []
    own: dict[str, str] = {}
    for category in categories:
        term, scheme = category.get("term", "").strip(), category.get("scheme", "").strip()
        if not term:
            continue
        if scheme == TYPE_SCHEME:
            activity_type = _TYPES_BY_LABEL.get(term.lower(), activity_type)
        elif scheme in (PLATFORM_SCHEME, DURATION_SCHEME, HASHTAG_SCHEME):
            own[scheme] = term
        elif scheme in DERIVED_SCHEMES:
            continue  # hours and credits: worked out from the minutes, read above
        elif match := _CAPABILITY_SCHEME.fullmatch(scheme):
            capability_codes.append(f"{match[1]}:{term}")
        elif not scheme:  # other schemes classify (resource type, life area), they are not tags
            tags.append(term)
    text = _atom_text(element.find(f"{_A}content"))
    title = shorten(" ".join(_atom_text(element.find(f"{_A}title")).split()), TITLE_LENGTH)
    proposal = ProposedEntry(
        source_key=source_key("leap2a", entry.id),
        activity_type=activity_type,
        title=title or shorten(" ".join(text.split()), TITLE_LENGTH) or "Untitled entry",
        occurred_on=occurred_on,
        platform=own.get(PLATFORM_SCHEME, ""),
        duration_minutes=_minutes(own.get(DURATION_SCHEME, "")),
        hashtag=own.get(HASHTAG_SCHEME, ""),
        url=next(filter(None, (web_address(h) for r, h in entry.links if r == "related")), ""),
        capability_codes=capability_codes,
        tag_names=parse_tag_names(",".join(tags)),
    )
    _fill_reflection(proposal, text)
    return proposal


def _minutes(term: str) -> int | None:
    """A time in minutes as our export writes it; staging checks that it is a sensible one."""
    return int(term) if re.fullmatch(r"[0-9]{1,5}", term) else None


def _occurred_on(element: Element, time_zone: ZoneInfo) -> dt.date | None:
    """When the learning started (leap2:date point="start"), else when it was published or
    last updated, as a date in the user's time zone."""
    starts = [
        d.text
        for d in element.iterfind(f"{_L}date")
        if d.get(f"{_L}point", d.get("point", "")) == "start"
    ]
    for value in [*starts, element.findtext(f"{_A}published"), element.findtext(f"{_A}updated")]:
        if day := _local_date((value or "").strip(), time_zone):
            return day
    return None


def _local_date(value: str, time_zone: ZoneInfo) -> dt.date | None:
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(time_zone).date() if moment.tzinfo else moment.date()


def _atom_text(element: Element | None) -> str:
    """Plain text from an Atom text construct, whichever of text, html or xhtml it is."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        return html_to_text("".join(_as_html(child) for child in element))
    if kind in {"html", "text/html"}:
        return html_to_text(element.text or "")
    return clean_text(element.text or "")


def _as_html(element: Element) -> str:
    """XHTML serialised as HTML, its namespace dropped so that html_to_text sees "p", "br"."""
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith(f"{{{XHTML}}}"):
            node.tag = node.tag[len(XHTML) + 2 :]
    return ElementTree.tostring(element, encoding="unicode", method="html")


def _fill_reflection(proposal: ProposedEntry, text: str) -> None:
    """Text in our export's sections returns to its fields; any other text is what happened."""
    headings = list(_SECTION_HEADING.finditer(text))
    if not headings or headings[0].start() != 0:
        proposal.what_happened = text
        return
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        body = text[heading.end() : following.start() if following else len(text)].strip()
        section, peer_role = heading.groups()
        if section:
            setattr(proposal, _SECTIONS[section], body)
        else:
            proposal.is_peer_reflected = True
            proposal.peer_role = peer_role or ""
            proposal.peer_learning = body
