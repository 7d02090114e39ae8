"""Text cut to fit: an entry's title from an import, an email's subject."""

from __future__ import annotations

ELLIPSIS = "…"
# What a cut leaves dangling before the ellipsis ("alpha,…"): it goes.
_TRAILING = " ,;:.-–—"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary where there is one,
    marked with an ellipsis when anything was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    word_boundary = cut.rfind(" ")
    if word_boundary > limit // 2:
        cut = cut[:word_boundary]
    return cut.rstrip(_TRAILING) + ELLIPSIS
