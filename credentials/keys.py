"""The portal's signing key and the public keys it publishes.

The private key is a PEM file at settings.CREDENTIALS_SIGNING_KEY_PATH, never in the database
or the repository; when the file does not exist yet (a development machine, a test run) a
new RSA key is made there on first use, readable only by its owner. Each key that signs is
recorded by its public half (SigningKey), so the JWKS keeps every key that ever signed and a
credential still verifies after the file is replaced by a new key."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from joserfc.jwk import RSAKey

from .models import SigningKey

ALGORITHM = "RS256"  # Open Badges 3.0 requires verifiers to support it: the most portable
KEY_BITS = 3072

_loaded: dict[tuple[str, float], RSAKey] = {}


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = RSAKey.generate_key(KEY_BITS, private=True).as_pem(private=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)


def signing_key() -> RSAKey:
    """The private key credentials are signed with now, read from its file (and kept in
    memory until the file changes)."""
    path = Path(settings.CREDENTIALS_SIGNING_KEY_PATH)
    if not path.exists():
        _create_key_file(path)
    cache_key = (str(path), path.stat().st_mtime)
    if cache_key not in _loaded:
        _loaded.clear()
        _loaded[cache_key] = RSAKey.import_key(path.read_bytes())
    return _loaded[cache_key]


def key_url(thumbprint: str) -> str:
    """A key's ``kid``: the public address of its JWK, as Open Badges 3.0 asks."""
    return settings.SITE_URL + reverse("credentials:key", args=[thumbprint])


def published(key: RSAKey) -> SigningKey:
    """The public record of ``key``, made the first time it signs."""
    signing, _ = SigningKey.objects.get_or_create(
        thumbprint=key.thumbprint(), defaults={"public_jwk": key.as_dict(private=False)}
    )
    return signing


def public_jwk(signing: SigningKey) -> dict[str, str]:
    return {
        **signing.public_jwk,
        "kid": key_url(signing.thumbprint),
        "alg": ALGORITHM,
        "use": "sig",
    }


def jwks() -> dict[str, list[dict[str, str]]]:
    """Every public key the portal has signed with, as a JSON Web Key Set."""
    return {"keys": [public_jwk(signing) for signing in SigningKey.objects.all()]}


def verifying_key(kid: str) -> RSAKey | None:
    """The public key named by ``kid``, if it is one of this portal's."""
    for signing in SigningKey.objects.filter(thumbprint=kid.rstrip("/").rsplit("/", 1)[-1]):
        if key_url(signing.thumbprint) == kid:
            return RSAKey.import_key(signing.public_jwk)
    return None
