"""Personal access tokens: stored hashed, refused when revoked, expired, unknown or their
owner is disabled, limited to reading when made for reading."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import AccessToken, Scope
from api.tokens import authenticate_secret, create_token, revoke_token
from tests.factories import make_entry

ACTIVITIES = "/api/v1/activities/"
NEW_ENTRY = {
    "title": "Draft on a podcast",
    "activity_type": "reading",
    "occurred_on": "2026-03-01",
}


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_database_holds_a_hash_of_the_secret_and_never_the_secret(practitioner):
    token, secret = create_token(practitioner, name="Reader", scope=Scope.READ)
    assert secret.startswith("cpd_") and len(secret) > 40
    stored = AccessToken.objects.values().get(pk=token.pk)
    assert stored["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in [str(value) for value in stored.values()]
    assert stored["prefix"] == secret[:12]
    assert authenticate_secret(secret) == token


def test_each_token_has_its_own_secret(practitioner):
    secrets = {create_token(practitioner, name=f"App {n}", scope=Scope.READ)[1] for n in range(5)}
    assert len(secrets) == 5


def test_a_valid_token_reads_its_owners_entries(practitioner, secret_for):
    make_entry(practitioner, title="Mine")
    response = bearer(secret_for(practitioner, Scope.READ)).get(ACTIVITIES)
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Mine"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "This token was revoked."),
        ({"expires_at": timezone.now() - dt.timedelta(seconds=1)}, "This token has expired."),
    ],
)
def test_revoked_and_expired_tokens_answer_401(practitioner, change, message):
    token, secret = create_token(practitioner, name="App", scope=Scope.WRITE)
    AccessToken.objects.filter(pk=token.pk).update(**change)
    response = bearer(secret).get(ACTIVITIES)
    assert response.status_code == 401
    assert response.json()["detail"].startswith(message)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_with_an_expiry_to_come_still_works(practitioner):
    _, secret = create_token(
        practitioner, name="App", scope=Scope.READ, expires_at=timezone.now() + dt.timedelta(1)
    )
    assert bearer(secret).get(ACTIVITIES).status_code == 200


def test_revoking_stops_the_token_at_once_and_keeps_the_first_time(practitioner):
    token, secret = create_token(practitioner, name="App", scope=Scope.READ)
    assert bearer(secret).get(ACTIVITIES).status_code == 200
    revoke_token(token)
    first = AccessToken.objects.get(pk=token.pk).revoked_at
    revoke_token(AccessToken.objects.get(pk=token.pk))
    assert AccessToken.objects.get(pk=token.pk).revoked_at == first
    assert bearer(secret).get(ACTIVITIES).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cpd_not-a-real-token",
        "Bearer",
        "Bearer two words",
        "Bearer caf\u00e9",
    ],
)
def test_unknown_or_malformed_tokens_answer_401(practitioner, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ACTIVITIES)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_no_credentials_answer_401_with_a_bearer_challenge(db):
    response = APIClient().get(ACTIVITIES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_disabled_accounts_tokens_answer_401(practitioner, secret_for):
    secret = secret_for(practitioner)
    practitioner.is_active = False
    practitioner.save()
    response = bearer(secret).get(ACTIVITIES)
    assert response.status_code == 401
    assert response.json()["detail"] == "This account is disabled."


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_token_cannot_write(practitioner, secret_for, method):
    entry = make_entry(practitioner, title="Unchanged")
    client = bearer(secret_for(practitioner, Scope.READ))
    url = ACTIVITIES if method == "post" else f"{ACTIVITIES}{entry.pk}/"
    response = getattr(client, method)(url, NEW_ENTRY, format="json")
    assert response.status_code == 403
    assert "This token may only read" in response.json()["detail"]
    entry.refresh_from_db()
    assert entry.title == "Unchanged"
    assert practitioner.entries.count() == 1


def test_last_use_is_written_at_most_once_a_minute(
    practitioner, django_assert_num_queries, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    token, secret = create_token(practitioner, name="App", scope=Scope.READ)
    assert token.last_used_at is None
    authenticate_secret(secret)
    first = AccessToken.objects.get(pk=token.pk).last_used_at
    assert first == timezone.now()

    time_machine.shift(dt.timedelta(seconds=59))
    with django_assert_num_queries(1):  # the lookup, and no write
        authenticate_secret(secret)
    assert AccessToken.objects.get(pk=token.pk).last_used_at == first

    time_machine.shift(dt.timedelta(seconds=1))
    authenticate_secret(secret)
    assert AccessToken.objects.get(pk=token.pk).last_used_at == first + dt.timedelta(minutes=1)


def test_the_signed_in_browser_may_call_the_api_with_its_csrf_token(practitioner):
    make_entry(practitioner, title="Mine")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(practitioner)
    assert client.get(ACTIVITIES).json()["count"] == 1

    refused = client.post(ACTIVITIES, NEW_ENTRY, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/accounts/profile/")  # any page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(ACTIVITIES, NEW_ENTRY, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
    assert practitioner.entries.count() == 2
