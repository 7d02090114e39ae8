"""An id for each request, on every log line written while it is served and on its response.

The proxy in front may send one (nginx: `proxy_set_header X-Request-ID $request_id`), so its
access log and ours name the same request; otherwise one is made here. Only a short token of
letters, digits and dashes is taken from outside: it ends up in log lines and a header.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_ACCEPTABLE = re.compile(r"[A-Za-z0-9-]{8,64}")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served in this thread, or "-" outside any request."""
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(HEADER, "")
        request_id = offered if _ACCEPTABLE.fullmatch(offered) else uuid.uuid4().hex
        # Kept until the response is closed, not only while the middleware runs: Django logs
        # an error response ("Not Found: …") after the last middleware has returned.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _request_finished(**kwargs) -> None:
    _current.set("-")


request_finished.connect(_request_finished, weak=False, dispatch_uid="forget-request-id")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so a format may name it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True
