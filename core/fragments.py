"""Parts of pages kept in the cache, rendered once and then read back until what they show
changes. A fragment is cached with Django's ``{% cache %}`` tag under a key that names
everything it shows; when any of that changes, the key changes, so a stale fragment is never
read again (it expires unread). Nothing is ever deleted to invalidate a fragment, so there is
no moment between a write and its invalidation when an old page can be served.

A key is made of:
- the owner's version, a column of her row that changes in the transaction that changes her
  data, so it costs no query (the request has loaded her row) and no race;
- the site's version, kept in the cache, for what everyone's pages show alike (the
  capability frameworks, the code of the templates): renewed after ``migrate`` and whenever
  a framework is edited;
- the day, for whatever counts days (a deadline, the current CPD year);
- whatever the page was asked for (the path with its query).

Forms that carry a CSRF token, messages and anything about other people (sign-offs) stay
outside fragments: they are per request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

_SITE_VERSION_KEY = "fragments:site-version"


def site_version() -> str:
    """The current site-wide version; a new one if the cache has none (after a flush or an
    eviction, which may have taken fragments with it anyway)."""
    version = cache.get(_SITE_VERSION_KEY)
    if version is None:
        cache.add(_SITE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(_SITE_VERSION_KEY)
    return version


def renew_site_version(**_signal_arguments) -> None:
    """Make every fragment cached so far unreachable, once the current transaction commits
    (renewed before, a page could be cached anew from the data about to change). Connected
    to ``post_migrate`` (a deploy runs it, and may bring new templates) and to edits of the
    capability frameworks."""
    transaction.on_commit(
        lambda: cache.set(_SITE_VERSION_KEY, uuid.uuid4().hex, timeout=None), robust=True
    )


@dataclass(frozen=True)
class Fragments:
    """What a template needs to cache its fragments for one person on one day:
    ``{% cache fragments.timeout "name" fragments.version request.get_full_path %}``."""

    version: str
    timeout: int

    @classmethod
    def of(cls, owner, today: dt.date) -> Fragments:
        timeout = settings.FRAGMENT_CACHE_SECONDS
        if not timeout:
            # Off: a key nothing was ever stored under, and a timeout that stores nothing.
            return cls(version=uuid.uuid4().hex, timeout=0)
        return cls(
            version=f"{owner.pk}.{owner.portfolio_version}.{site_version()}.{today.isoformat()}",
            timeout=timeout,
        )
