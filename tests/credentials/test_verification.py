"""The public verify page: a genuine credential is valid and says what it asserts; altered,
foreign, revoked or malformed ones are refused with a plain reason; hostile or huge input
never crashes it."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from joserfc import jws

from core.cpd_year import cpd_year_ending_in
from credentials import verification
from credentials.keys import signing_key
from credentials.verification import verify

from .conftest import STATEMENT

VERIFY = reverse("credentials:verify")


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def parts(compact: str) -> tuple[dict, dict, str]:
    header, payload, signature = compact.split(".")
    return (
        json.loads(base64.urlsafe_b64decode(header + "==")),
        json.loads(base64.urlsafe_b64decode(payload + "==")),
        signature,
    )


@pytest.fixture
def token(signed) -> str:
    return signed.credential.compact_jws


def test_a_pasted_credential_is_valid_and_says_what_it_asserts(world, token, client):
    response = client.post(VERIFY, {"credential": token})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Valid." in content
    label = cpd_year_ending_in(world.submission.year).label
    for fact in (
        "CPD Portal",
        world.student.display_name,
        f"CPD year {label} signed off: Advanced practice MSc",
        "Dr Sam Patel, Programme leader",
        STATEMENT,
        label,
    ):
        assert fact in content


def test_an_uploaded_jwt_file_is_checked_the_same(token, client):
    upload = SimpleUploadedFile("credential.jwt", token.encode() + b"\n")

    response = client.post(VERIFY, {"file": upload})

    assert "Valid." in response.content.decode()


def test_a_paste_broken_over_lines_is_the_same_credential(token):
    assert verify("\n".join(token[i : i + 60] for i in range(0, len(token), 60))).valid


def test_a_changed_statement_breaks_the_signature(token, client):
    header, payload, signature = parts(token)
    payload["credentialSubject"]["achievement"]["criteria"]["narrative"] = "Outstanding."
    tampered = f"{b64(header)}.{b64(payload)}.{signature}"

    verdict = verify(tampered)
    response = client.post(VERIFY, {"credential": tampered})

    assert not verdict.valid and verdict.problem == verification.BAD_SIGNATURE
    assert verdict.assertion is None
    assert "Not valid." in response.content.decode()
    assert "Outstanding." not in response.content.decode()


def test_a_changed_signature_is_refused(token):
    head, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    assert verify(f"{head}.{payload}.{flipped}").problem == verification.BAD_SIGNATURE


def test_a_credential_signed_with_another_key_under_our_kid_is_refused(token):
    header, payload, _ = parts(token)
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    forged = jwt.encode(payload, impostor, algorithm="RS256", headers={"kid": header["kid"]})

    assert verify(forged).problem == verification.BAD_SIGNATURE


def test_an_unknown_key_or_algorithm_is_refused(token):
    header, payload, signature = parts(token)
    unknown = {**header, "kid": "https://elsewhere.example/keys/1"}
    unsigned = {**header, "alg": "none"}

    assert verify(f"{b64(unknown)}.{b64(payload)}.{signature}").problem == (
        verification.UNKNOWN_KEY
    )
    assert verify(f"{b64(unsigned)}.{b64(payload)}.{signature}").problem == (
        verification.UNKNOWN_KEY
    )


def _signed_by_us(header: dict, payload: dict) -> str:
    return jws.serialize_compact(
        header, json.dumps(payload).encode(), signing_key(), algorithms=["RS256"]
    )


def test_claims_that_disagree_with_the_credential_are_refused(token):
    header, payload, _ = parts(token)

    other_issuer = _signed_by_us(header, {**payload, "iss": "https://elsewhere.example/"})
    other_subject = _signed_by_us(header, {**payload, "sub": "urn:uuid:someone-else"})

    assert verify(other_issuer).problem == verification.INCONSISTENT
    assert verify(other_subject).problem == verification.INCONSISTENT


def test_a_credential_the_portal_never_issued_is_refused(token):
    header, payload, _ = parts(token)
    invented = "http://127.0.0.1:8000/credentials/00000000-0000-4000-8000-000000000000/"

    never_issued = _signed_by_us(header, {**payload, "id": invented, "jti": invented})

    assert verify(never_issued).problem == verification.NOT_ISSUED


def test_a_revoked_credential_says_so_with_its_date_and_reason(token, revoke, client):
    revoke("Two entries were copied from a colleague.")

    verdict = verify(token)
    content = client.post(VERIFY, {"credential": token}).content.decode()

    assert not verdict.valid and verdict.is_revoked
    assert "Revoked." in content
    assert "Two entries were copied from a colleague." in content
    assert f"{verdict.revoked_at:%-d %B %Y}" in content


@pytest.mark.parametrize(
    "garbage",
    [
        "hello",
        "a.b.c",
        "...",
        "e30.e30.e30",  # {} header: no algorithm
        "W10.W10.W10",  # [] header
        b64(b"\xff\xfe not json") + ".e30.AAAA",
        b64({"alg": "RS256", "kid": ["not", "a", "string"]}) + ".e30.AAAA",
        b64({"alg": "RS256", "kid": 7}) + ".e30.AAAA",
        "[" * 5000 + ".e30.AAAA",
        "<script>alert(1)</script>",
        "\x01\x02\u202e",
    ],
)
def test_garbage_is_answered_plainly(garbage, client):
    response = client.post(VERIFY, {"credential": garbage})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Not valid." in content
    assert "<script>alert(1)</script>" not in content


def test_null_characters_are_a_form_error(client):
    response = client.post(VERIFY, {"credential": "a\x00b"})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


def test_a_huge_paste_is_refused_unread(client):
    response = client.post(VERIFY, {"credential": "a." * 400_000 + "a"})

    assert response.status_code == 413
    assert "far longer than any credential" in response.content.decode()


def test_a_large_file_is_refused(client):
    upload = SimpleUploadedFile("credential.jwt", b"a" * (verification.MAX_CREDENTIAL_BYTES + 1))

    response = client.post(VERIFY, {"file": upload})

    assert response.status_code == 400
    assert "never more than" in response.content.decode()


def test_nothing_or_both_is_asked_again(token, client):
    nothing = client.post(VERIFY, {"credential": ""})
    both = client.post(
        VERIFY,
        {"credential": token, "file": SimpleUploadedFile("c.jwt", token.encode())},
    )

    assert nothing.status_code == both.status_code == 400
    assert "Paste a credential, or upload its .jwt file." in nothing.content.decode()
    assert "not both" in both.content.decode()
    assert token in both.content.decode()  # nothing typed is lost


def test_the_credentials_public_page_shows_it_now(signed, revoke, client):
    url = reverse("credentials:credential", args=[signed.credential.pk])

    assert "Valid." in client.get(url).content.decode()
    revoke()
    assert "Revoked." in client.get(url).content.decode()
