"""The site as its emails name it: one name (settings.SITE_NAME) and one base address
(settings.SITE_URL) for every absolute link, whichever host a request arrived at and whether
or not there is a request at all (emails are also written by background tasks)."""

from __future__ import annotations

from django.conf import settings

from .text import shorten

SUBJECT_MAX_LENGTH = 90


def absolute_url(path: str) -> str:
    """``path`` (as reverse() or get_absolute_url() give it) on the site's own address."""
    return settings.SITE_URL + path


def email_context() -> dict[str, str]:
    """What every email template is given to name the site and link to it."""
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}


def shortened(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters, cut at a word (core.text.shorten)."""
    return shorten(" ".join(text.split()), limit)


def email_subject(text: str) -> str:
    """One line, prefixed as all the site's emails are, shortened at a word boundary."""
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + shortened(text, SUBJECT_MAX_LENGTH)
