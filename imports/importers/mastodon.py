"""The archive a Mastodon server prepares (Preferences, Import and export), or its outbox.json.

``outbox.json`` is an ActivityStreams OrderedCollection: ``Create`` activities hold the user's
posts (``Note``, or ``Question`` for a poll) with HTML content, and ``Announce`` activities are
boosts, whose object is the address of the boosted post (some servers embed the post itself).
Direct messages are skipped: a conversation addressed to a few people is not the user's to
put in a portfolio others may read. So are boosts of the user's own posts. What becomes an
entry is decided in social.py.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import nh3

from portfolio.link_kinds import web_address
from portfolio.models import Platform

from .archives import SafeArchive, is_zip, read_upload
from .base import ImportOptions, ImportRejected, ProposedEntry
from .social import Post, parse_json, post_text, propose_entries, usable_hashtag

NOT_AN_ARCHIVE = (
    "This doesn't look like a Mastodon archive: we need the .zip your server prepared "
    "(Preferences, then Import and export), or the outbox.json inside it."
)
_EXPECTED = "a Mastodon archive"
_POST_TYPES = {"Note", "Question"}
_PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
# Whose a post or account is, from its address: https://server/@user/123 and
# https://server/@user (what people share; @user@home for someone from another server), or
# https://server/users/user/statuses/123 and https://server/users/user (ActivityPub's ids).
_OWNER_PATH = re.compile(r"/(@(?P<name>[\w.-]+)(@(?P<home>[\w.-]+))?|users/(?P<user>[\w.-]+))(/|$)")


def parse_mastodon_archive(source: BinaryIO, options: ImportOptions) -> list[ProposedEntry]:
    name, data = _read_outbox(source)
    outbox = parse_json(data, name, _EXPECTED)
    items = outbox.get("orderedItems") if isinstance(outbox, dict) else None
    if not isinstance(items, list):
        raise ImportRejected(f"{NOT_AN_ARCHIVE} {name} holds no list of posts.")
    if not items:
        raise ImportRejected("This Mastodon archive holds no posts, so there is nothing to import.")
    posts = [
        post
        for position, item in enumerate(items, start=1)
        if (post := _post(item, position, name)) is not None
    ]
    return propose_entries(posts, Platform.MASTODON, options)


def _read_outbox(source: BinaryIO) -> tuple[str, bytes]:
    if not is_zip(source):
        return "outbox.json", read_upload(source)
    archive = SafeArchive(source)
    name = archive.find("outbox.json")
    if name is None:
        raise ImportRejected(NOT_AN_ARCHIVE + " This ZIP has no outbox.json in it.")
    return name, archive.read(name)


def _post(item: Any, position: int, name: str) -> Post | None:
    """The post an outbox item holds, or None for anything that is not one of the user's
    posts or boosts, or is a direct message."""
    if not isinstance(item, dict) or not isinstance(item.get("type"), str):
        raise _malformed(position, name, "it is not an activity")
    if item["type"] == "Announce":
        return _boost(item, position, name)
    note = item.get("object")
    if (
        item["type"] != "Create"
        or not isinstance(note, dict)
        or note.get("type") not in _POST_TYPES
    ):
        return None
    if _is_direct(note):
        return None
    post_id = _required_text(note, "id", position, name)
    content = _content(note, position, name)
    return Post(
        id=post_id,
        created_at=_published(note.get("published") or item.get("published"), position, name),
        text=post_text(content),
        url=_address(note, post_id),
        hashtags=_hashtags(note.get("tag"), position, name),
        links=tuple(_shared_links(content)),
        is_reply=bool(note.get("inReplyTo")),
    )


def _boost(item: dict[str, Any], position: int, name: str) -> Post | None:
    """A boost of someone else's post, or None for a boost of the user's own: reading it again
    taught nothing new. Usually the archive has only the boosted post's address; when the
    post itself is embedded, its words and hashtags come too."""
    boosted = item.get("object")
    note = boosted if isinstance(boosted, dict) else {}
    status = note.get("id") if note else boosted
    if not isinstance(status, str):
        raise _malformed(position, name, "it boosts nothing")
    address = _address(note, status)
    author = _owner(note.get("attributedTo")) or _owner(address) or _owner(status)
    post = Post(
        id=_required_text(item, "id", position, name),
        created_at=_published(item.get("published"), position, name),
        text=post_text(_content(note, position, name)),
        hashtags=_hashtags(note.get("tag"), position, name),
        is_repost=True,
        reposted_url=address,
        reposted_author=author,
    )
    own = _owner(item.get("actor"))
    return None if author and author.casefold() == own.casefold() else post


def _content(note: dict[str, Any], position: int, name: str) -> str:
    content = note.get("content") or ""
    if not isinstance(content, str):
        raise _malformed(position, name, "its content is not text")
    return content


def _address(note: dict[str, Any], status: str) -> str:
    """Where a post can be read: its page, or else its ActivityPub id when that is an address."""
    return next((u for u in (note.get("url"), status) if isinstance(u, str) and web_address(u)), "")


def _owner(address: Any) -> str:
    """The "@user@server" whose post or account ``address`` is, or "" when it does not say."""
    if not isinstance(address, str) or not web_address(address):
        return ""
    try:
        parts = urlsplit(address)
        host = parts.hostname
    except ValueError:
        return ""
    match = _OWNER_PATH.match(parts.path)
    if match is None or not host:
        return ""
    return f"@{match['name'] or match['user']}@{match['home'] or host}"


def _is_direct(note: dict[str, Any]) -> bool:
    """Whether ``note`` was addressed only to people: not public, unlisted or to followers."""
    addressed = [
        address
        for field in ("to", "cc")
        for address in _as_list(note.get(field))
        if isinstance(address, str)
    ]
    return bool(addressed) and not any(
        address in _PUBLIC or address.endswith("/followers") for address in addressed
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _required_text(record: dict[str, Any], key: str, position: int, name: str) -> str:
    value = record.get(key)
    # An id becomes part of a source key, so it must be storable text.
    if not isinstance(value, str) or not value or not value.isprintable():
        raise _malformed(position, name, f"its {key} is missing")
    return value


def _published(value: Any, position: int, name: str) -> dt.datetime:
    try:
        published = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        published = None
    if published is None or published.tzinfo is None:
        raise _malformed(position, name, "its published date is not a date and time")
    return published


def _hashtags(values: Any, position: int, name: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise _malformed(position, name, "its tags are not a list")
    names = (
        value.get("name")
        for value in values
        if isinstance(value, dict) and value.get("type") == "Hashtag"
    )
    return tuple(
        tag
        for tag in (n.removeprefix("#") for n in names if isinstance(n, str))
        if usable_hashtag(tag)
    )


class _LinkCollector(HTMLParser):
    """The addresses of a post's links, read from HTML nh3 has already rewritten. Mastodon
    marks hashtags and mentions as links too; those are not something the author shared."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        href = attributes.get("href") or ""
        if "mention" in classes or "hashtag" in classes or not web_address(href):
            return
        self.links.append(href)


def _shared_links(content: str) -> list[str]:
    # nh3 first, so the parser only ever sees well-formed links and escaped text, whatever
    # the post held.
    collector = _LinkCollector()
    collector.feed(
        nh3.clean(
            content,
            tags={"a"},
            attributes={"a": {"href", "class"}},
            url_schemes={"http", "https"},
            link_rel=None,
        )
    )
    collector.close()
    return collector.links


def _malformed(position: int, name: str, problem: str) -> ImportRejected:
    return ImportRejected(
        f"Item {position} in {name} is not in the form a Mastodon archive uses: {problem}. "
        "Upload the archive exactly as your server prepared it."
    )
