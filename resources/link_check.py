"""Checking that the library's links still work.

Each link gets a HEAD, then a GET if the server will not answer HEAD properly, with a timeout,
a limit on redirects, an honest User-Agent and a bounded number of checks at once. A link only
counts as broken after several failed daily checks in a row, and one success clears it.

The checker fetches whatever curators (and, through suggestions, practitioners) typed, through
core.safe_http's client, which never connects to a private address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils import timezone

from core.safe_http import RefusedAddress, link_checker_client

from .models import Resource

# Servers that refuse HEAD (or mishandle it) often answer GET properly.
RETRY_WITH_GET = {403, 404, 405, 429, 501}
# A redelivered task, or "check again" twice in a row, must not count as another day's failure.
REPEAT_WINDOW = dt.timedelta(hours=12)


@dataclass(frozen=True)
class LinkCheck:
    ok: bool
    problem: str = ""
    status_code: int | None = None


def _status(client: httpx.Client, method: str, url: str) -> int:
    with client.stream(method, url) as response:  # the body is never read
        return response.status_code


def check_link(client: httpx.Client, url: str) -> LinkCheck:
    """Whether ``url`` answers with a success, after redirects; never raises for a bad link."""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return LinkCheck(False, "Not a web address (only http and https links are checked).")
    try:
        status = _status(client, "HEAD", url)
        if status in RETRY_WITH_GET or status >= 500:
            status = _status(client, "GET", url)
    except RefusedAddress as error:
        return LinkCheck(False, f"Not checked: {error}.")
    except httpx.TooManyRedirects:
        return LinkCheck(False, f"More than {settings.LINK_CHECK_MAX_REDIRECTS} redirects.")
    except httpx.TimeoutException:
        return LinkCheck(False, f"No answer within {settings.LINK_CHECK_TIMEOUT_SECONDS:g}s.")
    except httpx.UnsupportedProtocol:
        return LinkCheck(False, "Redirected to something that is not a web address.")
    except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as error:
        return LinkCheck(False, f"Could not connect: {error}"[:200])
    if status >= 400:
        return LinkCheck(False, f"The server answered {status}.", status)
    return LinkCheck(True, status_code=status)


def record_link_check(resource: Resource, check: LinkCheck, now: dt.datetime) -> None:
    """Count a failure in a row, or clear the count on a success. A second failure within
    REPEAT_WINDOW of the last check is the same failure, not another one."""
    if check.ok:
        resource.link_failures = 0
        resource.link_problem = ""
    else:
        repeated = resource.link_failures and (
            resource.link_checked_at and now - resource.link_checked_at < REPEAT_WINDOW
        )
        if not repeated:
            resource.link_failures += 1
        resource.link_problem = check.problem[:200]
    resource.link_checked_at = now
    resource.save(update_fields=["link_failures", "link_problem", "link_checked_at"])


def check_resource_links(resources: Iterable[Resource]) -> list[LinkCheck]:
    """Check each resource's link, at most LINK_CHECK_CONCURRENCY at once, and record the
    results. The threads only fetch; the database is written from this thread."""
    resources = list(resources)
    with (
        link_checker_client() as client,
        ThreadPoolExecutor(max_workers=settings.LINK_CHECK_CONCURRENCY) as pool,
    ):
        checks = list(pool.map(lambda resource: check_link(client, resource.url), resources))
    now = timezone.now()
    for resource, check in zip(resources, checks, strict=True):
        record_link_check(resource, check, now)
    return checks
