"""Sentence case for words set into a generated sentence: "In “reflective supervision” I
learned", not "In “Reflective supervision”". A title's capital only starts a sentence; a
name keeps its capitals wherever it stands."""

from __future__ import annotations

import re

from .themes import LEGISLATION

# Single words that are names (the platforms, places and calendar words practitioners write);
# a run of two or more capitalised words ("Community Care", "Social Work England") is taken
# for a name without a list.
_PROPER_NOUN_WORDS = """
    Bluesky Facebook Instagram LinkedIn Mastodon Twitter YouTube Google Microsoft Teams Zoom
    England Wales Scotland Ireland Britain London Manchester Birmingham Leeds Liverpool Bristol
    Cardiff Edinburgh Glasgow Belfast Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Christmas Easter Ramadan Diwali
"""
PROPER_NOUNS = frozenset(_PROPER_NOUN_WORDS.split())
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*")


def _is_a_name(words: list[str]) -> bool:
    first = words[0].strip("“‘\"'([")
    core = re.sub(r"['’]s$", "", first.rstrip(":;,.!?"))
    return (
        not first[:1].isupper()  # nothing to lower
        or first in {"I", "I'm", "I’m", "I've", "I’ve"}
        or any(c.isupper() or c.isdigit() for c in first[1:])  # AMHP, LinkedIn, PCF6, X/Twitter
        or "/" in first
        or core in PROPER_NOUNS
        or (len(words) > 1 and bool(_CAPITALISED.fullmatch(words[1].strip(":;,.!?"))))
    )


def mid_sentence(text: str) -> str:
    """``text`` (a title, a specialism) as it reads inside a sentence: its first letter in
    lower case, unless it starts with a name: an acronym, a word with capitals inside, a known
    name, legislation ("Care Act 2014 refresher"), or two capitalised words in a row."""
    words = text.split()
    if not words or _is_a_name(words) or LEGISLATION.match(text):
        return text
    position = next(i for i, c in enumerate(text) if c.isalpha())
    return text[:position] + text[position].lower() + text[position + 1 :]
