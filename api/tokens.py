"""Personal access tokens: made, revoked, and checked when a request presents one."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from accounts.mfa import MFA_REQUIRED_MESSAGE, must_set_up_mfa

from .models import AccessToken, Scope

SECRET_PREFIX = "cpd_"  # noqa: S105 - marks a string as ours for secret scanners; not a secret
VISIBLE_CHARACTERS = 12  # "cpd_" and 8 random characters: tells tokens apart, reveals little
# A token used all day would otherwise write a row per request; to the minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenRejected(Exception):
    """The presented secret is not a usable token; the message says why, fit for the caller."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    owner, *, name: str, scope: Scope | str, expires_at: dt.datetime | None = None
) -> tuple[AccessToken, str]:
    """A new token for ``owner`` and its secret. The secret is returned once and never
    stored: show it to the user now."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        owner=owner,
        name=name,
        scope=scope,
        token_hash=hash_secret(secret),
        prefix=secret[:VISIBLE_CHARACTERS],
        expires_at=expires_at,
    )
    return token, secret


def revoke_token(token: AccessToken) -> None:
    """Stop ``token`` working from the next request on. Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def revoke_tokens_of(owner) -> int:
    """Revoke every token of ``owner`` still working; how many there were. A token is issued
    under a password: whoever learns of a leaked password and changes it must not find that an
    app the intruder set up still reads the log."""
    return (
        AccessToken.objects.for_user(owner)
        .filter(revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )


def authenticate_secret(secret: str) -> AccessToken:
    """The usable token whose secret is ``secret``, with its owner; raises TokenRejected.

    Looked up by the secret's hash, never by the secret: the comparison the database makes is
    on a value an attacker cannot steer character by character, so its timing tells nothing."""
    token = (
        AccessToken.objects.select_related("owner").filter(token_hash=hash_secret(secret)).first()
    )
    if token is None:
        raise TokenRejected("This token is not valid.")
    if token.is_revoked:
        raise TokenRejected("This token was revoked. Create a new one on your profile.")
    if token.is_expired:
        raise TokenRejected("This token has expired. Create a new one on your profile.")
    if not token.owner.is_active:
        raise TokenRejected("This account is disabled.")
    if must_set_up_mfa(token.owner):
        # A token made before the rule (or before the owner became a leader) waits for it too.
        raise TokenRejected(MFA_REQUIRED_MESSAGE)
    _note_use(token)
    return token


def _note_use(token: AccessToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
