"""The page a refused form answers with: the site's own 403 page, signed-in navigation and all,
rather than Django's bare one (which is rendered without the request)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseForbidden
from django.template.loader import render_to_string


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """settings.CSRF_FAILURE_VIEW: a form sent without a valid CSRF token (an expired page, or
    cookies refused). The reason is Django's wording for developers, so it is not shown."""
    return HttpResponseForbidden(render_to_string("403.html", {"csrf_failed": True}, request))
