"""The demo's programme leader and admin must sign in with a second factor, as every leader and
admin must (accounts/mfa.py). So that someone trying the demo needs no phone, both share one
published authenticator-app key, and `manage.py demo_code` prints the code it shows now. The
demo's passwords are published too: none of this is ever meant for a real server."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from accounts.mfa import ROLES_REQUIRING_MFA
from accounts.models import User

# Base32, as authenticator apps take it; published, like the demo passwords.
DEMO_TOTP_SECRET = "DEMOCPDPORTALDEMOCPDPORTAL234567"  # noqa: S105


def set_up_demo_second_factor(users: list[User]) -> list[User]:
    """Give each of ``users`` whose role requires it the demo's authenticator-app key, unless
    they already have an app set up (their own, or the demo's from an earlier load).
    Returns those who now need it to sign in."""
    needing = [user for user in users if user.role in ROLES_REQUIRING_MFA]
    for user in needing:
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    return needing


def demo_code(now: float | None = None) -> str:
    """The code an authenticator app holding the demo's key shows at ``now`` (RFC 6238)."""
    moment = time.time() if now is None else now
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(moment) // 30))
