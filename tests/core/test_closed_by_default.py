"""Closed by default: LoginRequiredMiddleware asks for a login on every view of ours except
those marked @login_not_required, and this is the whole list of them, so that a new view can
only become public on purpose."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

OURS = (
    "core",
    "portfolio",
    "resources",
    "capture",
    "summaries",
    "packs",
    "imports",
    "programmes",
    "api",
)

OPEN_WITHOUT_A_LOGIN = {
    "home",
    "resources:resource_list",
    "resources:resource_detail",
    "resources:list_index",
    "resources:list_detail",
    "resources:event_list",
    "resources:event_detail",
    "resources:event_ics",
    "resources:events_feed",
    "packs:verify",
    "capture:manifest",
    "capture:service_worker",
    "capture:sync",  # answers an ended session itself, in JSON
    "imports:csv_template",
    "programmes:invitation_accept",
    # The API authenticates each request itself and answers 401 or 403.
    "api:entry-list",
    "api:entry-detail",
    "api:capability-list",
    "api:capability-detail",
    "api:resource-list",
    "api:resource-detail",
    "api:event-list",
    "api:event-detail",
    "api:schema",
    # Load balancers and monitors have no login; they see only a status (core/health.py).
    "core:health",
    "core:health_web",
}


def our_views(patterns=None, namespace: str = ""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from our_views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            # A view of ours, or one mounted in our namespaces (the API's schema view).
            view_class = getattr(pattern.callback, "cls", None)
            module = (view_class or pattern.callback).__module__
            if module.split(".")[0] in OURS or namespace.split(":")[0] in OURS:
                yield f"{namespace}{pattern.name}", pattern.callback


def test_only_these_views_are_open_without_a_login():
    open_views = {name for name, view in our_views() if not getattr(view, "login_required", True)}

    assert open_views == OPEN_WITHOUT_A_LOGIN


@pytest.mark.parametrize("name", ["portfolio:dashboard", "summaries:list", "imports:list"])
def test_anyone_else_is_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
