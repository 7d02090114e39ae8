"""Two rules applied to every request of a signed-in user, in this order (settings.MIDDLEWARE):
a session idle too long, or older than its bound, is ended; then a programme leader or admin
who has not set up a second factor may only reach the pages to set one up."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

from .mfa import MFA_REQUIRED_MESSAGE, must_set_up_mfa_in_session
from .sessions import session_expired, touch_session

# Besides allauth.mfa's own pages ("mfa_…"): leaving, and proving who you are again, which
# setting up a second factor asks for when the sign-in was a while ago.
REACHABLE_WITHOUT_MFA = frozenset(
    {"account_logout", "account_reauthenticate", "account_confirm_email"}
)


class SessionIdleTimeoutMiddleware:
    """Ends the session of a user idle for settings.SESSION_IDLE_TIMEOUT_MINUTES, or signed
    in longer than settings.SESSION_COOKIE_AGE. The request then goes on as anonymous, so a
    page that needs a login sends them to the log-in page (and back afterwards), the API
    answers 401 or 403, and a public page shows as to anyone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if session_expired(request.session):
                logout(request)
                messages.info(request, "You were signed out because your session ended.")
            else:
                touch_session(request.session)
        return self.get_response(request)


class RequireMfaForLeadingRolesMiddleware:
    """A leader or admin with no second factor is sent to set one up from every page but
    allauth.mfa's own, log-out and re-authentication; the API answers 403 with the reason."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not must_set_up_mfa_in_session(request):
            return self.get_response(request)
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)  # answers 404 whoever asks
        url_name = match.url_name or ""
        if url_name in REACHABLE_WITHOUT_MFA or url_name.startswith("mfa_"):
            return self.get_response(request)
        if match.namespace == "api":
            return JsonResponse({"detail": MFA_REQUIRED_MESSAGE}, status=403)
        set_up = reverse("mfa_index")
        if request.htmx:
            return HttpResponseClientRedirect(set_up)
        messages.warning(request, MFA_REQUIRED_MESSAGE)
        return redirect(set_up)
