"""How long a signed-in session lasts: until it has been idle for
settings.SESSION_IDLE_TIMEOUT_MINUTES, and never longer than settings.SESSION_COOKIE_AGE after
it began, whether or not "Remember me" was ticked (that only lets the cookie outlive the
browser). Both moments are kept in the session itself, as seconds since the epoch."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

STARTED_AT = "session_started_at"
LAST_SEEN_AT = "session_last_seen_at"
# Noting every request would write the session on every request; to the minute is enough.
LAST_SEEN_PRECISION_SECONDS = 60


def session_expired(session: SessionBase) -> bool:
    now = time.time()
    started_at = session.get(STARTED_AT, now)
    last_seen_at = session.get(LAST_SEEN_AT, now)
    return (
        now - last_seen_at > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        or now - started_at > settings.SESSION_COOKIE_AGE
    )


def touch_session(session: SessionBase) -> None:
    """Note that the session is in use now (and when it began, the first time)."""
    now = time.time()
    session.setdefault(STARTED_AT, now)
    if now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_PRECISION_SECONDS:
        session[LAST_SEEN_AT] = now


def start_session(sender, request, user, **kwargs) -> None:
    """On signing in (Django's user_logged_in), note both moments in the session it is saving
    anyway, so the pages that follow within the minute write nothing."""
    now = time.time()
    request.session[STARTED_AT] = now
    request.session[LAST_SEEN_AT] = now
