"""Issuing a signed-off year as an Open Badges 3.0 OpenBadgeCredential, signed as a compact
JWS in the JSON Web Token proof format of Open Badges 3.0 (section 8.2): the payload is the
credential itself with the claims ``iss`` (issuer.id), ``jti`` (id), ``nbf`` (validFrom) and
``sub`` (credentialSubject.id)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from joserfc import jws

from core.cpd_year import cpd_year_ending_in
from programmes.models import Programme, SignOff

from .keys import ALGORITHM, key_url, published, signing_key
from .models import IssuedCredential

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _public(path: str) -> str:
    return settings.SITE_URL + path


def credential_url(credential_id: uuid.UUID) -> str:
    """The credential's id, and its public page."""
    return _public(reverse("credentials:credential", args=[credential_id]))


def issuer_profile(programme: Programme) -> dict:
    """The issuer of the programme's credentials, as an Open Badges Profile; its id is the
    public address this same JSON is served at."""
    profile = {
        "id": _public(reverse("credentials:issuer", args=[programme.pk])),
        "type": ["Profile"],
        "name": programme.issuer_name,
    }
    if programme.institution_url:
        profile["url"] = programme.institution_url
    return profile


def achievement(programme: Programme, year: int, statement: str = "") -> dict:
    """What a signed-off year of ``programme`` is, as an Open Badges Achievement. Without a
    statement (the public page of the achievement) the criteria say what a sign-off means."""
    label = cpd_year_ending_in(year).label
    return {
        "id": _public(reverse("credentials:achievement", args=[programme.pk, year])),
        "type": ["Achievement"],
        "name": f"CPD year {label} signed off: {programme.name}",
        "description": (
            f"A continuing professional development portfolio for the CPD year {label}, "
            f"reviewed and signed off by a leader of {programme.name} "
            f"({programme.issuer_name})."
        ),
        "criteria": {
            "narrative": statement
            or "A leader of the programme reviewed the year's portfolio and signed it off.",
        },
    }


def _hashed_email(email: str) -> dict:
    """The student's address as an IdentityObject: salted SHA-256, so an employer who knows
    the address can match it and nobody else can read it."""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def _datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(issued: IssuedCredential) -> dict:
    """The unsigned credential for ``issued``'s sign-off."""
    signoff = issued.signoff
    submission = signoff.submission
    programme = submission.membership.cohort.programme
    student = submission.membership.student
    label = cpd_year_ending_in(submission.year).label
    identifiers = [_hashed_email(student.email)]
    if student.display_name:  # her name as she gave it; never her address in plain
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityHash": student.display_name,
                "identityType": "name",
                "hashed": False,
            }
        )
    return {
        "@context": CONTEXT,
        "id": credential_url(issued.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(programme),
        "validFrom": _datetime(issued.issued_at),
        "name": f"{programme.name}: CPD year {label} signed off",
        "credentialSubject": {
            "id": issued.subject_id.urn,
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achievement(programme, submission.year, signoff.statement),
        },
    }


def sign(credential: dict) -> str:
    """``credential`` as a compact JWS: the credential with its JWT claims, signed."""
    key = signing_key()
    signing = published(key)
    valid_from = dt.datetime.strptime(credential["validFrom"], "%Y-%m-%dT%H:%M:%S%z")
    payload = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(valid_from.timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    header = {"alg": ALGORITHM, "kid": key_url(signing.thumbprint), "typ": "JWT"}
    return jws.serialize_compact(
        header, json.dumps(payload, ensure_ascii=False).encode(), key, algorithms=[ALGORITHM]
    )


def issue_credential(signoff: SignOff) -> IssuedCredential:
    """Issue the student her credential for ``signoff``, in the sign-off's transaction
    (programmes.review.sign_off calls it): signing is quick, and a sign-off is never without
    its credential. Idempotent: a sign-off already issued keeps its credential."""
    existing = IssuedCredential.objects.filter(signoff=signoff).first()
    if existing is not None:
        return existing
    issued = IssuedCredential(
        signoff=signoff,
        student_id=signoff.submission.membership.student_id,
        issued_at=timezone.now().replace(microsecond=0),
    )
    issued.compact_jws = sign(build_credential(issued))
    issued.save()
    return issued
