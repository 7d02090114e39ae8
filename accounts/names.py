"""The name a person is shown by: to programme leaders (headings, the cohort overview, the
audit trail, emails) and on their evidence pack. Asked for at sign-up, changed in the
profile; both go through ``clean_display_name``, and sign-up saves it with ``set_display_name``."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from .models import User

# Room for long double-barrelled names and titles; short enough to fit a heading on a phone.
DISPLAY_NAME_MAX_LENGTH = 80

_MARKUP = re.compile(r"[<>]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_display_name(raw: str) -> str:
    """The name as it will be shown: spaces trimmed and runs of them made one. Refused, with
    the reason, when empty, too long, or holding markup or control characters."""
    name = " ".join(_CONTROL.sub(" ", raw).split())
    if not name:
        raise ValidationError("Enter your name, as programme leaders will see it.")
    if _MARKUP.search(name):
        raise ValidationError("A name cannot contain < or >. Type it as plain text.")
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            f"Keep your name to {DISPLAY_NAME_MAX_LENGTH} characters; this one has {len(name)}."
        )
    return name


def set_display_name(user: User, raw: str) -> User:
    """Save ``user``'s name, cleaned (``clean_display_name`` raises if it is not acceptable)."""
    user.display_name = clean_display_name(raw)
    user.save(update_fields=["display_name"])
    return user
