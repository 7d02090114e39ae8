"""Details offered to the sign-up form by the page that sent someone there (an invitation
opened while signed out): kept in the session, so no address is put in a link or a page."""

from __future__ import annotations

from django.http import HttpRequest

SESSION_KEY = "signup_details"


def offer_signup_details(request: HttpRequest, *, email: str, display_name: str = "") -> None:
    request.session[SESSION_KEY] = {"email": email, "display_name": display_name}


def offered_signup_details(request: HttpRequest) -> dict[str, str]:
    """The sign-up form's initial values offered, without the empty ones."""
    offered = request.session.get(SESSION_KEY) or {}
    return {name: value for name, value in offered.items() if value}


def forget_signup_details(request: HttpRequest) -> None:
    """Once used: the next sign-up in this browser starts empty."""
    request.session.pop(SESSION_KEY, None)
