"""What the tests of cached pages share (core/fragments.py): a page's content as they compare
it, and the comparison of pages as the cache serves them with the same pages built afresh."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# What the tests cache fragments for: long enough for any test.
CACHED_SECONDS = 3600


def page_content(response) -> str:
    """The page's main content (or all of a partial, as htmx asks for one), without the
    messages of the request before it or the masked CSRF tokens (masked anew every time a form
    is drawn), its white space folded."""
    assert response.status_code == 200
    html = response.content.decode()
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    html = re.sub(r'<section aria-label="Messages".*?</section>', "", html, flags=re.S)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r"\s+", " ", html)


def built_afresh(read: Callable[[], T], settings) -> T:
    """What ``read()`` gets with the fragment cache off: every page built from scratch."""
    settings.FRAGMENT_CACHE_SECONDS = 0
    try:
        return read()
    finally:
        settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS


def assert_served_as_built(read: Callable[[], dict[str, str]], settings) -> None:
    """``read()``'s pages as the cache serves them are the pages built from scratch."""
    served = read()
    assert served == built_afresh(read, settings)
