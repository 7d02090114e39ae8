"""How often one person (or, where nobody is logged in, one client address) may do something
costly or open to abuse, counted with django-ratelimit in the shared cache.

Each limit is a group in settings.RATE_LIMITS with its rate ("20/h", "5/10m"). Over the limit,
TooManyRequests is raised; django-ratelimit's middleware hands it to ``too_many_requests``,
which answers 429 with a page (or, for htmx, the message alone) that says what was limited
and when to try again. Only POSTs count: looking at a page costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited


class TooManyRequests(Ratelimited):
    def __init__(self, doing: str, retry_after: int):
        super().__init__(f"Too many requests: {doing}")
        self.doing, self.retry_after = doing, retry_after

    @property
    def message(self) -> str:
        return (
            f"You have been {self.doing} more often than we allow in a short time. "
            f"Please wait {_wait(self.retry_after)} and try again."
        )


def _wait(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return "a minute"
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"


def _rate(group: str, request: HttpRequest) -> str:
    # Read when counted, so that a deployment's (or a test's) settings take effect.
    return settings.RATE_LIMITS[group]


def count_request(request: HttpRequest, group: str, *, key: str, doing: str) -> None:
    """Count this request against ``group``'s limit for its user (``key="user"``) or its
    client address (``key="ip"``, through core/client_address.py); raise TooManyRequests when
    it goes over. ``doing`` names what was limited, as in "You have been {doing} ..."."""
    usage = get_usage(request, group=group, key=key, rate=_rate, increment=True)
    if usage and usage["should_limit"]:
        raise TooManyRequests(doing, max(usage["time_left"], 1))


def rate_limited(group: str, *, key: str, doing: str) -> Callable:
    """A view whose POSTs count against ``group``'s limit (see ``count_request``)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def limited_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                count_request(request, group, key=key, doing=doing)
            return view(request, *args, **kwargs)

        return limited_view

    return decorator


def too_many_requests(request: HttpRequest, exception: Ratelimited) -> HttpResponse:
    """RATELIMIT_VIEW: the answer to a request over a limit."""
    if isinstance(exception, TooManyRequests):
        message, retry_after = exception.message, exception.retry_after
    else:
        message, retry_after = "You have been doing that too often. Please wait and try again.", 60
    template = "rate_limited.html#message" if request.htmx else "rate_limited.html"
    response = render(request, template, {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
