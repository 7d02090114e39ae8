"""A shared page's own title, for a capture that arrived as a bare link.

Fetched through core.safe_http's client (never a private address, every redirect hop
checked), within a short deadline and a size limit, and read from the page's og:title or
<title>. Anything that goes wrong gives no title: the capture keeps its link as its title,
which is what it had already.
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from html.parser import HTMLParser

import httpx
from django.conf import settings

from core.safe_http import RefusedAddress, link_checker_client

from .quick_capture import MAX_TITLE

logger = logging.getLogger(__name__)

# A title sits in a page's <head>: the first part of the page is plenty, and a huge page (or
# one that never ends) costs no more than this.
TITLE_FETCH_MAX_BYTES = 256 * 1024
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Control characters and the like have no place in a title someone reads in their log.
# A page that names its encoding only in its markup, as many older pages do.
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class _TitleParser(HTMLParser):
    """Collects the og:title and the first <title>'s text. Script and style content is never
    read as tags (HTMLParser treats it as text), so a "<title>" inside a script is ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.og_title = ""
        self.title_parts: list[str] = []
        self._in_title = False
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self._title_done:
            self._in_title = True
        elif tag == "meta" and not self.og_title:
            values = {name: value or "" for name, value in attrs}
            if values.get("property", values.get("name", "")).lower() == "og:title":
                self.og_title = values.get("content", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self._title_done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)


def _tidy(text: str) -> str:
    return " ".join(_UNPRINTABLE.sub(" ", text).split())[:MAX_TITLE].strip()


def _encoding(content_type: str, start: bytes) -> str:
    """The page's encoding: as its Content-Type says, else as its <meta> says, else UTF-8."""
    declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    in_markup = _META_CHARSET.search(start[:4096])
    for name in (declared and declared[1], in_markup and in_markup[1].decode("ascii")):
        if name:
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return "utf-8"


def title_from_html(markup: str) -> str:
    """The page's og:title (what the page says to call it when shared), else its <title>,
    tidied to one line an entry can hold; empty when it has neither."""
    parser = _TitleParser()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError:  # html.parser's answer to some broken declarations ("<![foo[")
        pass  # what was read before it still counts
    return _tidy(parser.og_title) or _tidy("".join(parser.title_parts))


def fetch_page_title(url: str) -> str:
    """The title of the page at ``url``, or empty when it cannot be had within
    CAPTURE_TITLE_FETCH_SECONDS: a private address, a page that is not HTML, an error, a slow
    server. Never raises for what a remote server does."""
    seconds = settings.CAPTURE_TITLE_FETCH_SECONDS
    deadline = time.monotonic() + seconds
    try:
        with (
            link_checker_client() as client,
            client.stream("GET", url, timeout=seconds) as response,
        ):
            content_type = response.headers.get("content-type", "")
            media_type = content_type.split(";")[0].strip().lower()
            if response.status_code >= 400 or media_type not in _HTML_TYPES:
                return ""
            received = bytearray()
            for chunk in response.iter_bytes():
                received += chunk
                if len(received) >= TITLE_FETCH_MAX_BYTES or time.monotonic() > deadline:
                    break
            page = bytes(received[:TITLE_FETCH_MAX_BYTES])
    except (RefusedAddress, httpx.HTTPError, httpx.InvalidURL, UnicodeError) as error:
        logger.info("No title for a captured link: %s", type(error).__name__)
        return ""
    return title_from_html(page.decode(_encoding(content_type, page), errors="replace"))
