"""Who must use a second factor to sign in: programme leaders and admins read other people's
reviewed work or run the site, so a stolen password alone must not be enough for them.
Anyone else may set one up from their profile (allauth.mfa's pages)."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest

from .models import Role

ROLES_REQUIRING_MFA = frozenset({Role.PROGRAMME_LEADER, Role.ADMIN})

MFA_REQUIRED_MESSAGE = (
    "Programme leaders and admins must set up two-factor authentication before using the "
    "portal: add an authenticator app or a passkey."
)


def must_set_up_mfa(user) -> bool:
    """True for a signed-in leader or admin with no authenticator app and no passkey yet
    (recovery codes alone are a fallback, not a second factor)."""
    return (
        user.is_authenticated
        and user.role in ROLES_REQUIRING_MFA
        and not is_mfa_enabled(user, types=["totp", "webauthn"])
    )


# Set in the session once its user is seen to have a second factor, so that a leader's every
# page does not ask the database again; cleared when that session removes one. (Another
# session of theirs keeps it until it ends: it began with the second factor in place.)
MFA_SEEN_KEY = "mfa_seen_for_user"


def must_set_up_mfa_in_session(request: HttpRequest) -> bool:
    """must_set_up_mfa() for the request's user, remembered in the session once false."""
    user = request.user
    if not user.is_authenticated or user.role not in ROLES_REQUIRING_MFA:
        return False
    if request.session.get(MFA_SEEN_KEY) == user.pk:
        return False
    if must_set_up_mfa(user):
        return True
    request.session[MFA_SEEN_KEY] = user.pk
    return False


def forget_mfa_seen(request: HttpRequest, **_arguments) -> None:
    """Receiver of allauth.mfa's authenticator_removed: check again from the next request."""
    request.session.pop(MFA_SEEN_KEY, None)
