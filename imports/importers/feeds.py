"""Blog feeds (RSS 0.9x, 1.0 and 2.0, and Atom) into proposed entries: each post becomes "blog
post written" when the feed is the user's own blog and "blog post read" when it is someone
else's.

The bytes are checked with defusedxml before feedparser sees them, so a feed that declares
entities (the "billion laughs", or an external entity reading a local file) is refused rather
than expanded. A post without a date is left out: a feed's own date is when it was last
rebuilt, not when the post was written, so borrowing it would put the entry in the wrong CPD
year. A feed in which no post has a date is refused with a message saying so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import time
from typing import BinaryIO
from urllib.parse import urlsplit

import feedparser
import httpx
from django.conf import settings

from core.safe_http import RefusedAddress, link_checker_client
from portfolio.entries import parse_tag_names
from portfolio.link_kinds import web_address
from portfolio.models import ActivityType, Platform

from .base import ImportOptions, ImportRejected, ProposedEntry, source_key
from .safe_xml import parse_xml
from .text import html_to_line, html_to_text, shorten

FEED_MAX_BYTES = 5 * 1024 * 1024
# The client's timeout is per read, so a server dripping a byte at a time needs a deadline too.
FETCH_DEADLINE_SECONDS = 30
TITLE_LENGTH = 200
SUMMARY_LENGTH = 2000

_FEED_ROOTS = {
    "rss",
    "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF",
    "{http://www.w3.org/2005/Atom}feed",
    "{http://purl.org/atom/ns#}feed",
}
_HTML_ROOTS = {"html", "{http://www.w3.org/1999/xhtml}html"}
# What may come before the first element: a byte order mark, white space, the XML declaration,
# processing instructions and comments.
_PROLOGUE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_WEB_PAGE = (
    "This page is a web page, not a feed: look for its RSS or Atom link (often labelled "
    "“RSS”, “Feed” or “Subscribe”) and use that address instead."
)


def parse_feed(source: BinaryIO, options: ImportOptions) -> list[ProposedEntry]:
    """One proposed entry per dated post in the feed, newest first as the feed lists them."""
    data = source.read(FEED_MAX_BYTES + 1)
    if len(data) > FEED_MAX_BYTES:
        raise _too_large()
    check_feed_document(data)
    # A file-like object, never the bytes themselves: given a string, feedparser would treat it
    # as a path or an address and go and read it.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        raise ImportRejected("The feed has no posts in it, so there is nothing to import.")
    activity_type = ActivityType.BLOG_WRITTEN if options.own_feed else ActivityType.BLOG_READ
    entries: dict[str, ProposedEntry] = {}
    for item in parsed.entries:
        entry = _proposed_entry(item, activity_type, options)
        if entry is not None:
            entries.setdefault(entry.source_key, entry)  # a repeated post is the same post
    if not entries:
        raise ImportRejected(
            "None of the posts in this feed has a date, and an entry needs one. Try the "
            "feed's Atom version, or add the posts by hand."
        )
    return list(entries.values())


def check_feed_document(data: bytes) -> None:
    """Refuse anything that is not a well-formed RSS or Atom document without entities."""
    if not data.strip():
        raise ImportRejected("The feed is empty.")
    start = data[_PROLOGUE.match(data).end() :][:20].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise ImportRejected(_WEB_PAGE)
    root = parse_xml(data, "a feed")
    if root.tag in _HTML_ROOTS:
        raise ImportRejected(_WEB_PAGE)
    if root.tag not in _FEED_ROOTS:
        raise ImportRejected(
            "This is an XML file but not an RSS or Atom feed. Check that you chose the right file."
        )


def _proposed_entry(
    item: feedparser.FeedParserDict, activity_type: str, options: ImportOptions
) -> ProposedEntry | None:
    posted = item.get("published_parsed") or item.get("updated_parsed")
    if posted is None:
        return None
    occurred_on = (
        dt.datetime.fromtimestamp(calendar.timegm(posted), dt.UTC)
        .astimezone(options.time_zone)
        .date()
    )
    url = web_address(item.get("link", ""))
    summary = html_to_text(_summary_html(item))
    title = html_to_line(item.get("title", ""), TITLE_LENGTH) or shorten(
        " ".join(summary.split()), TITLE_LENGTH
    )
    return ProposedEntry(
        source_key=source_key(
            "feed", item.get("id") or item.get("link") or f"{title}|{occurred_on}"
        ),
        activity_type=activity_type,
        title=title or f"Blog post of {occurred_on.day} {occurred_on:%B %Y}",
        occurred_on=occurred_on,
        platform=Platform.BLOG,
        url=url,
        what_happened=shorten(summary, SUMMARY_LENGTH),
        tag_names=parse_tag_names(
            ",".join(tag.get("label") or tag.get("term") or "" for tag in item.get("tags", []))
        ),
    )


def _summary_html(item: feedparser.FeedParserDict) -> str:
    """The post's summary, or the start of its content when it has none."""
    if item.get("summary"):
        return item["summary"]
    contents = item.get("content") or [{}]
    return contents[0].get("value", "")


def fetch_feed(url: str) -> bytes:
    """The feed at ``url``, fetched without touching private addresses, within a size limit
    and a deadline, and checked to be a feed. Every failure is an ImportRejected that says
    what to do about it."""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise ImportRejected("Give the feed's web address, starting with https:// or http://.")
    deadline = time.monotonic() + FETCH_DEADLINE_SECONDS
    try:
        with link_checker_client() as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise ImportRejected(
                    f"The blog's server answered {response.status_code} "
                    f"({response.reason_phrase or 'an error'}) for that address. Check the "
                    "address, or download the feed and upload the file instead."
                )
            parts: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > FEED_MAX_BYTES:
                    raise _too_large()
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the feed took too long to arrive")
                parts.append(chunk)
    except RefusedAddress as error:
        raise ImportRejected(
            f"We do not fetch feeds from private or local addresses ({error}). Use the "
            "blog's public address."
        ) from error
    except httpx.TooManyRedirects as error:
        raise ImportRejected(
            f"That address redirects more than {settings.LINK_CHECK_MAX_REDIRECTS} times. "
            "Open it in your browser and use the address it ends up at."
        ) from error
    except httpx.TimeoutException as error:
        raise ImportRejected(
            "The blog's server took too long to answer. Try again later, or download the "
            "feed and upload the file instead."
        ) from error
    except httpx.UnsupportedProtocol as error:
        raise ImportRejected(
            "That address redirects to something that is not a web address."
        ) from error
    except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as error:
        raise ImportRejected(
            "We could not reach that address. Check it is typed correctly and that the blog "
            "is online."
        ) from error
    data = b"".join(parts)
    check_feed_document(data)
    return data


def _too_large() -> ImportRejected:
    return ImportRejected(
        f"The feed is larger than {FEED_MAX_BYTES // (1024 * 1024)} MB, more than any blog's "
        "feed should be. Check that it is the feed and not a full export of the site."
    )
