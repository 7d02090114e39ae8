"""Untrusted HTML (a blog post, a toot, a Leap2A entry) reduced to the plain text an entry holds.

nh3 parses the HTML as a browser would, so nothing written to slip past a regular expression
(unclosed tags, comments, tags split across attributes) survives: it keeps only the tags that
mark a line break, with no attributes, and drops scripts and styles with everything inside them.
Only then are those few tags, now in a form nh3 wrote itself, turned into line breaks.
"""

from __future__ import annotations

import html
import re

import nh3

from core.text import shorten

# Blocks separated by a blank line, and the tags that only break a line.
_PARAGRAPH_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
}
_LINE_TAGS = {"br", "li", "tr"}
# Dropped with their content: none of it is prose a reader saw.
_DROPPED_TAGS = {
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "svg",
    "math",
    "select",
    "textarea",
}
_TAG = re.compile(r"<(/?)([a-z0-9]+)\s*/?>")
# Characters a database text column or XML cannot hold (NUL, other C0 controls, lone
# surrogates from JSON escapes): they carry no meaning in prose.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Marks where a list item starts; it cannot occur in the text, which has lost every NUL above,
# and html.unescape never produces one.
_LIST_ITEM = "\x00"
_LIST_ITEM_START = re.compile(r"\x00\s*(?=[^\s\x00])")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _tag_to_break(match: re.Match[str]) -> str:
    closing, name = match.groups()
    if name == "li":
        return "" if closing else "\n" + _LIST_ITEM
    return "\n" if name in _LINE_TAGS else "\n\n"


def html_to_text(value: str) -> str:
    """Plain text from untrusted HTML: every tag gone, scripts and styles with their content,
    entities unescaped, paragraphs as blank lines, line breaks and list items as new lines."""
    value = _UNSTORABLE.sub("", value or "")
    marked = nh3.clean(
        value,
        tags=_PARAGRAPH_TAGS | _LINE_TAGS,
        clean_content_tags=_DROPPED_TAGS,
        attributes={},
        strip_comments=True,
        link_rel=None,
    )
    # What nh3 returns escapes every "<" in the text, so each remaining "<" opens a tag it kept.
    # Unescaping cannot bring back an unstorable character except a form feed, which is space.
    text = html.unescape(_TAG.sub(_tag_to_break, marked))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    # A list item becomes a Markdown list line (reflections are rendered as Markdown), joined
    # to its first words even when they sit in a paragraph of their own.
    text = _LIST_ITEM_START.sub("- ", text).replace(_LIST_ITEM, "")
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean_text(value: str) -> str:
    """Untrusted plain text tidied as html_to_text tidies HTML's text, every "<" kept as text."""
    return html_to_text(html.escape(value or "", quote=False))


def html_to_line(value: str, limit: int) -> str:
    """A title from untrusted HTML: plain text on one line, at most ``limit`` characters."""
    return shorten(" ".join(html_to_text(value).split()), limit)
