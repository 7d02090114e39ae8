"""What every importer returns and raises, and the limits they all respect."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.module_loading import import_string


class ImportRejected(Exception):
    """The file cannot be imported. The message says why in words the user can act on, and
    nothing from the file has been kept."""


@dataclass(frozen=True)
class Attachment:
    """A file that came with an entry (a Leap2A attachment), read within the size limits."""

    name: str
    content: bytes


@dataclass
class ProposedEntry:
    """One entry an import proposes. Text is plain (HTML already reduced to text); the
    fields mirror portfolio.models.Activity, and ``source_key`` is stable for the same item
    in the same source, so a second import of one file recognises what it has seen."""

    source_key: str
    activity_type: str
    title: str
    occurred_on: dt.date
    platform: str = ""
    url: str = ""
    duration_minutes: int | None = None
    hashtag: str = ""
    what_happened: str = ""
    what_learned: str = ""
    impact: str = ""
    is_peer_reflected: bool = False
    peer_role: str = ""
    peer_learning: str = ""
    # "framework-slug:code" (as portfolio.json writes them) or a bare code such as "PCF3".
    capability_codes: list[str] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class ImportOptions:
    """What the user told us when uploading."""

    time_zone: ZoneInfo
    # A feed of the user's own blog ("blog post written") or someone else's ("blog read").
    own_feed: bool = True


Parser = Callable[[BinaryIO, ImportOptions], list[ProposedEntry]]

# Source name -> parser, by import path so that one parser's import errors never stop the
# others from loading.
PARSERS: dict[str, str] = {
    "x": "imports.importers.twitter.parse_x_archive",
    "mastodon": "imports.importers.mastodon.parse_mastodon_archive",
    "feed": "imports.importers.feeds.parse_feed",
    "csv": "imports.importers.spreadsheet.parse_csv",
    "leap2a": "imports.importers.leap2a.parse_leap2a",
}


def parser_for(source: str) -> Parser:
    return import_string(PARSERS[source])


def source_key(kind: str, identity: str) -> str:
    """``kind:identity`` for ProposedEntry.source_key, or a hash of the identity when that
    would not fit the column (255 characters): stable either way for the same item."""
    identity = identity.strip()
    key = f"{kind}:{identity}"
    if len(key) <= 255:
        return key
    return f"{kind}:sha256:{hashlib.sha256(identity.encode()).hexdigest()}"


def upload_limit() -> int:
    """The largest file anyone may upload to an import, in bytes."""
    return settings.IMPORT_MAX_UPLOAD_BYTES


def unpacked_limit() -> int:
    """The most an import may unpack from an archive, in bytes, whatever its headers say."""
    return settings.IMPORT_MAX_UNPACKED_BYTES
