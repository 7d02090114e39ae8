"""Verifying a credential someone pastes or uploads: that this portal's key signed it, that
its JWT claims agree with the credential (Open Badges 3.0, "Verify a Credential VC-JWT
Signature"), that it is one the portal issued, and that it is not revoked. Whatever is
pasted, the answer is a Verdict, never an error: the input is untrusted."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from joserfc import jws
from joserfc.errors import JoseError

from core.cpd_year import cpd_year_ending_in

from .issuing import credential_url
from .keys import ALGORITHM, verifying_key
from .models import IssuedCredential

# Ours are about 4 KB; a larger paste is not one of them, and is not parsed.
MAX_CREDENTIAL_BYTES = 32 * 1024
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")

MALFORMED = (
    "This is not a credential in the form this page checks: a compact JWS (three parts of "
    "letters and digits separated by dots), as in the .jwt file the portal gives students."
)
TOO_LARGE = "That is far longer than any credential this portal issues, so it is not one of ours."
UNKNOWN_KEY = (
    "This credential was not signed with any key of this portal, so it cannot be checked here."
)
BAD_SIGNATURE = (
    "The signature does not match: the credential has been altered since it was signed, or "
    "was never signed by this portal."
)
INCONSISTENT = (
    "The signature is ours, but the credential's claims do not agree with its content, so it "
    "is not valid."
)
NOT_ISSUED = "The signature is ours, but the portal has no record of issuing this credential."


@dataclass(frozen=True)
class Assertion:
    """What a valid credential says, in words."""

    issuer: str
    issuer_url: str
    recipient: str  # her name if the credential carries it, else ""
    achievement: str
    programme: str
    year_label: str
    statement: str
    signed_by: str
    valid_from: dt.datetime


@dataclass(frozen=True)
class Verdict:
    valid: bool
    problem: str = ""
    revoked_at: dt.datetime | None = None
    revocation_reason: str = ""
    assertion: Assertion | None = None
    credential: dict = field(default_factory=dict)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def _decoded_json(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def _claims_agree(payload: dict) -> bool:
    try:
        valid_from = dt.datetime.strptime(payload["validFrom"], "%Y-%m-%dT%H:%M:%S%z")
        return (
            payload["iss"] == payload["issuer"]["id"]
            and payload["jti"] == payload["id"]
            and payload["sub"] == payload["credentialSubject"]["id"]
            and payload["nbf"] == int(valid_from.timestamp())
            and valid_from <= timezone.now()
            and "OpenBadgeCredential" in payload["type"]
        )
    except (KeyError, TypeError, ValueError):
        return False


def _issued(payload: dict) -> IssuedCredential | None:
    """The portal's record of the credential, found by its id (which is its public page)."""
    match = re.fullmatch(r".*/credentials/([0-9a-f-]{36})/", str(payload.get("jti", "")))
    if match is None:
        return None
    try:
        credential_id = uuid.UUID(match[1])
    except ValueError:
        return None
    if credential_url(credential_id) != payload["jti"]:
        return None
    return (
        IssuedCredential.objects.select_related(
            "signoff__submission__membership__cohort__programme"
        )
        .filter(pk=credential_id)
        .first()
    )


def _assertion(payload: dict, issued: IssuedCredential) -> Assertion:
    subject = payload["credentialSubject"]
    names = [
        each.get("identityHash", "")
        for each in subject.get("identifier", [])
        if isinstance(each, dict) and each.get("identityType") == "name" and not each.get("hashed")
    ]
    signoff = issued.signoff
    return Assertion(
        issuer=payload["issuer"].get("name", ""),
        issuer_url=payload["issuer"].get("url", ""),
        recipient=names[0] if names else "",
        achievement=subject["achievement"].get("name", ""),
        programme=signoff.submission.membership.cohort.programme.name,
        year_label=cpd_year_ending_in(signoff.submission.year).label,
        statement=subject["achievement"].get("criteria", {}).get("narrative", ""),
        signed_by=f"{signoff.name}, {signoff.role}",
        valid_from=dt.datetime.strptime(payload["validFrom"], "%Y-%m-%dT%H:%M:%S%z"),
    )


def verify(text: str) -> Verdict:
    """The verdict on ``text``, a pasted or uploaded credential."""
    token = "".join(text.split())  # a paste broken over lines is still the same credential
    if len(token.encode()) > MAX_CREDENTIAL_BYTES:
        return Verdict(False, TOO_LARGE)
    if not COMPACT_JWS.fullmatch(token):
        return Verdict(False, MALFORMED)
    try:
        header = _decoded_json(token.split(".", 1)[0])
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return Verdict(False, MALFORMED)
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        return Verdict(False, MALFORMED if not isinstance(header, dict) else UNKNOWN_KEY)
    key = verifying_key(header["kid"]) if isinstance(header.get("kid"), str) else None
    if key is None:
        return Verdict(False, UNKNOWN_KEY)
    try:
        signed = jws.deserialize_compact(token, key, algorithms=[ALGORITHM])
        payload = json.loads(signed.payload)
    except JoseError:
        return Verdict(False, BAD_SIGNATURE)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return Verdict(False, MALFORMED)
    if not isinstance(payload, dict) or not _claims_agree(payload):
        return Verdict(False, INCONSISTENT)
    issued = _issued(payload)
    if issued is None:
        return Verdict(False, NOT_ISSUED)
    assertion = _assertion(payload, issued)
    if issued.revoked_at is not None:
        return Verdict(
            False,
            "This credential has been revoked.",
            revoked_at=issued.revoked_at,
            revocation_reason=issued.revocation_reason,
            assertion=assertion,
            credential=payload,
        )
    return Verdict(True, assertion=assertion, credential=payload)
