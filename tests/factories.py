"""Small builders for test data: real model instances, saved, with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
import time

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from accounts.mfa import ROLES_REQUIRING_MFA
from accounts.models import Role, User
from portfolio.models import ActivityType, Entry, Platform, Status
from portfolio.tallies import recount

PASSWORD = "correct-horse-battery-staple"
# The authenticator app secret of every user make_user() enrols (base32, as apps take it).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_sequence = itertools.count(1)


def make_user(
    email: str | None = None, role: str = Role.PRACTITIONER, *, mfa: bool | None = None, **fields
) -> User:
    """A user with a verified address. Programme leaders and admins have an authenticator app
    (TOTP_SECRET) set up, as they must to use the site, unless ``mfa`` says otherwise."""
    email = email or f"user{next(_sequence)}@example.org"
    fields.setdefault("display_name", email.split("@")[0].title())
    user = User.objects.create_user(email, PASSWORD, role=role, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role in ROLES_REQUIRING_MFA if mfa is None else mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app with ``secret`` shows now (RFC 6238), by the test's clock,
    which the server shares."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def make_entry(owner: User, **fields) -> Entry:
    n = next(_sequence)
    values = {
        "title": f"Read a thread on strengths-based practice ({n})",
        "activity_type": ActivityType.TWEET_READ,
        "platform": Platform.X,
        "occurred_on": dt.date(2026, 3, 10),
        "duration_minutes": 30,
        "status": Status.COMPLETE,
        "what_happened": f"Followed a thread about strengths-based assessments ({n}).",
        "what_learned": "How other teams frame strengths in the first conversation.",
        "impact": "I will open assessments by asking what is working well.",
    }
    values.update(fields)
    capabilities = values.pop("capabilities", [])
    entry = Entry.objects.create(owner=owner, **values)
    if capabilities:
        entry.capabilities.set(capabilities)
    recount(owner.pk, [entry.occurred_on])  # as every way into the log does
    return entry
