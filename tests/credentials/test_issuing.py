"""Signing off issues an Open Badges 3.0 credential: valid against 1EdTech's JSON schema, signed
as Open Badges 3.0's VC-JWT proof format asks, and verified here with PyJWT, a JOSE library
independent of the one that signs (joserfc), using the keys the JWKS page publishes."""

from __future__ import annotations

import hashlib

import jsonschema
import jwt
import pytest
from django.urls import reverse

from core.cpd_year import cpd_year_ending_in
from credentials.issuing import issue_credential, sign
from credentials.models import IssuedCredential
from programmes.access import submission_for
from programmes.models import Programme
from programmes.review import sign_off

from .conftest import STATEMENT

JWT_CLAIMS = {"iss", "jti", "nbf", "sub"}


def decoded(compact: str, client) -> tuple[dict, dict]:
    """Header and payload of ``compact``, its signature checked with PyJWT against the key
    the served JWKS names by the header's kid."""
    header = jwt.get_unverified_header(compact)
    jwks = client.get(reverse("credentials:jwks")).json()
    (jwk,) = [key for key in jwks["keys"] if key["kid"] == header["kid"]]
    payload = jwt.decode(
        compact,
        key=jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        options={"verify_aud": False, "require": ["iss", "jti", "nbf", "sub"]},
    )
    return header, payload


@pytest.fixture
def credential(signed) -> IssuedCredential:
    return IssuedCredential.objects.get(signoff=signed)


def test_signing_off_issues_one_credential(signed):
    assert IssuedCredential.objects.filter(signoff=signed).count() == 1
    assert issue_credential(signed) == signed.credential  # issuing again changes nothing
    assert IssuedCredential.objects.count() == 1


def test_the_credential_is_valid_against_1edtechs_schema(credential, client, ob_schema):
    _, payload = decoded(credential.compact_jws, client)

    validator = jsonschema.Draft201909Validator(
        ob_schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(payload)]
    assert errors == []


def test_the_schema_catches_a_credential_missing_what_it_requires(credential, client, ob_schema):
    """The schema test can fail: without its issuer, the same credential is refused."""
    _, payload = decoded(credential.compact_jws, client)
    del payload["issuer"]

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(payload, ob_schema, cls=jsonschema.Draft201909Validator)


def test_the_credential_says_who_issued_what_to_whom(world, signed, credential, client):
    header, payload = decoded(credential.compact_jws, client)

    assert header == {"alg": "RS256", "kid": header["kid"], "typ": "JWT"}
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    credential_url = "http://127.0.0.1:8000" + reverse(
        "credentials:credential", args=[credential.pk]
    )
    assert payload["id"] == credential_url
    assert payload["issuer"] == {
        "id": "http://127.0.0.1:8000" + reverse("credentials:issuer", args=[world.programme.pk]),
        "type": ["Profile"],
        "name": "CPD Portal",  # no institution set: the site's name
    }
    label = cpd_year_ending_in(world.submission.year).label
    assert payload["validFrom"].endswith("Z")
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == f"CPD year {label} signed off: Advanced practice MSc"
    assert achievement["criteria"] == {"narrative": STATEMENT}
    # JWT claims, as Open Badges 3.0 section 8.2 requires.
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"]
    assert payload["sub"] == subject["id"] == credential.subject_id.urn
    assert payload["nbf"] == int(credential.issued_at.timestamp())


def test_the_student_is_named_and_her_address_only_hashed(world, credential, client):
    _, payload = decoded(credential.compact_jws, client)
    email, name = payload["credentialSubject"]["identifier"]

    assert world.student.email not in credential.compact_jws
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    digest = hashlib.sha256((world.student.email + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${digest}"
    assert name == {
        "type": "IdentityObject",
        "identityHash": world.student.display_name,
        "identityType": "name",
        "hashed": False,
    }


def test_the_issuer_is_the_programmes_institution(world, client):
    Programme.objects.filter(pk=world.programme.pk).update(
        institution="University of Example", institution_url="https://www.example.ac.uk/"
    )
    signoff = sign_off(
        submission_for(world.leader, world.submission.pk),
        world.leader,
        name="Dr Sam Patel",
        role="Programme leader",
        signed_on=world.today,
        statement=STATEMENT,
        confirmed=True,
    )
    _, payload = decoded(signoff.credential.compact_jws, client)

    assert payload["issuer"]["name"] == "University of Example"
    assert payload["issuer"]["url"] == "https://www.example.ac.uk/"
    served = client.get(payload["issuer"]["id"].removeprefix("http://127.0.0.1:8000"))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/ld+json"
    assert {key: value for key, value in served.json().items() if key != "@context"} == (
        payload["issuer"]
    )


def test_the_achievement_and_the_key_are_served_at_their_ids(credential, client):
    header, payload = decoded(credential.compact_jws, client)
    achievement = payload["credentialSubject"]["achievement"]

    served = client.get(achievement["id"].removeprefix("http://127.0.0.1:8000")).json()
    assert served["name"] == achievement["name"]
    key = client.get(header["kid"].removeprefix("http://127.0.0.1:8000")).json()
    assert key["kid"] == header["kid"] and "d" not in key and key["kty"] == "RSA"


def test_credentials_signed_before_a_new_key_still_verify(credential, client, settings, tmp_path):
    settings.CREDENTIALS_SIGNING_KEY_PATH = str(tmp_path / "new-key.pem")
    claims = jwt.decode(credential.compact_jws, options={"verify_signature": False})
    unsigned = {name: value for name, value in claims.items() if name not in JWT_CLAIMS}

    newer = sign(unsigned)

    new_kid = jwt.get_unverified_header(newer)["kid"]
    assert new_kid != jwt.get_unverified_header(credential.compact_jws)["kid"]
    assert len(client.get(reverse("credentials:jwks")).json()["keys"]) == 2
    assert decoded(credential.compact_jws, client)[1] == claims
    assert decoded(newer, client)[1] == claims
