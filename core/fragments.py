"""Parts of pages kept in the cache, rendered once and then read back until what they show
changes. A fragment is cached with Django's ``{% cache %}`` tag under a key that names
everything it shows; when any of that changes, the key changes, so a stale fragment is never
read again (it expires unread). Nothing is ever deleted to invalidate a fragment.

A key is made of:
- the owner's version, a column of her row that changes in the transaction that changes her
  data (``renew_owner_version``), so it costs no query (the request has loaded her row) and
  no race;
- the versions of the shared data the page shows, kept in the cache and renewed once a change
  to it commits: ``SITE`` for what every page shows alike (the capability frameworks, the
  templates: renewed after ``migrate``), ``LIBRARY`` for the resource library, and one a
  cohort (``cohort_scope``) for what its leaders see of their students. The renewal runs
  right after the commit, in the request or task that made the change and before it answers;
  only a request served in that instant can still get the page as it was;
- the day, for whatever counts days (a deadline, the current CPD year);
- for a fragment holding a form that posts, the request's CSRF secret, whose masked token the
  form carries;
- whatever the page was asked for (the path with its query).

Messages stay outside fragments (they belong to one request), and a page answering a POST is
never cached (it shows what was sent).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token

SITE = "site"
LIBRARY = "library"


def cohort_scope(cohort_id: int) -> str:
    return f"cohort:{cohort_id}"


def _key(scope: str) -> str:
    return f"fragments:version:{scope}"


def current_versions(*scopes: str) -> list[str]:
    """The current version of each of ``scopes``, in one round trip; a new one for any the
    cache has lost (after a flush or an eviction, which may have taken fragments with it)."""
    found = cache.get_many([_key(scope) for scope in scopes])
    versions = []
    for scope in scopes:
        version = found.get(_key(scope))
        if version is None:
            cache.add(_key(scope), uuid.uuid4().hex, timeout=None)
            version = cache.get(_key(scope))
        versions.append(version)
    return versions


def renew(scope: str) -> None:
    """Make every fragment that shows ``scope`` unreachable, once the current transaction
    commits (renewed before, a page could be cached anew from the data about to change)."""
    transaction.on_commit(
        lambda: cache.set(_key(scope), uuid.uuid4().hex, timeout=None), robust=True
    )


def renewal_of(scope: str) -> Callable[..., None]:
    """A signal receiver that renews ``scope``: for shared data edited through models' saves
    and deletes (the admin, curation), whatever the code path."""

    def receiver(**_signal_arguments) -> None:
        renew(scope)

    return receiver


_owner_renewal_hooks: list[Callable[[int], None]] = []


def on_owner_renewal(hook: Callable[[int], None]) -> None:
    """Call ``hook(owner_id)`` whenever an owner's version is renewed: for pages that show
    her data to someone else (a cohort's leaders), registered by the app that draws them."""
    _owner_renewal_hooks.append(hook)


def renew_owner_version(owner_id: int) -> None:
    """A new version for ``owner_id``'s pages, in the current transaction. The UPDATE also
    takes a NO KEY UPDATE lock on her row until the transaction ends."""
    get_user_model().objects.filter(pk=owner_id).update(portfolio_version=uuid.uuid4())
    for hook in _owner_renewal_hooks:
        hook(owner_id)


@dataclass(frozen=True)
class Fragments:
    """What a template needs to cache its fragments for one request:
    ``{% cache fragments.timeout "name" fragments.version request.get_full_path %}``."""

    version: str
    timeout: int

    @classmethod
    def of(
        cls,
        request: HttpRequest,
        today: dt.date,
        *,
        shows: tuple[str, ...] = (SITE,),
        posts: bool = False,
    ) -> Fragments:
        """For a page of ``request.user``'s (or one page for every visitor signed out) that
        ``shows`` shared data, and that ``posts`` forms from inside its fragments."""
        timeout = settings.FRAGMENT_CACHE_SECONDS
        # A page answering a POST shows what was sent (a form and its errors): never cached.
        if not timeout or request.method != "GET":
            # Off: a key nothing was ever stored under, and a timeout that stores nothing.
            return cls(version=uuid.uuid4().hex, timeout=0)
        user = request.user
        owner = f"{user.pk}.{user.portfolio_version}" if user.is_authenticated else "anonymous"
        parts = [owner, *current_versions(*shows), today.isoformat()]
        if posts:
            # The CSRF secret of this browser (made now if it has none yet): the masked tokens
            # in a cached form stay valid while the secret does (a login rotates it).
            get_token(request)
            parts.append(request.META["CSRF_COOKIE"])
        return cls(version=".".join(parts), timeout=timeout)
