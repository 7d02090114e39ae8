"""A new password revokes every API token made under the old one, however it was changed."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import AccessToken
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-long-passphrase-2027"


def api_status(secret: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/activities/").status_code


def test_changing_the_password_revokes_the_tokens(practitioner, secret_for, client_for):
    secret = secret_for(practitioner)
    assert api_status(secret) == 200
    client = client_for(practitioner)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert api_status(secret) == 401
    assert AccessToken.objects.get().is_revoked
    assert api_status(secret_for(practitioner)) == 200  # a token made afterwards works


def test_resetting_the_password_revokes_the_tokens(
    practitioner, secret_for, client, mailoutbox, send_owed_emails
):
    secret = secret_for(practitioner)
    client.post(reverse("account_reset_password"), {"email": practitioner.email})
    send_owed_emails()
    link = re.search(
        rf"{settings.SITE_URL}(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body
    )
    form_url = client.get(link[1], follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert api_status(secret) == 401


def test_a_password_set_in_the_shell_revokes_them_too(practitioner, secret_for):
    secret = secret_for(practitioner)

    practitioner.set_password(NEW_PASSWORD)
    practitioner.save()

    assert api_status(secret) == 401


def test_checking_a_password_whose_stored_hash_is_upgraded_keeps_them(
    practitioner, secret_for, settings
):
    """Django re-hashes a password on a successful check when the hasher changed: the same
    password, so tokens live on."""
    secret = secret_for(practitioner)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]

    assert practitioner.check_password(PASSWORD)

    practitioner.refresh_from_db()
    assert practitioner.password.startswith("pbkdf2_sha256$")
    assert api_status(secret) == 200


def test_only_the_owners_tokens_go(practitioner, other_practitioner, secret_for):
    others = secret_for(other_practitioner)

    practitioner.set_password(NEW_PASSWORD)
    practitioner.save()

    assert api_status(others) == 200


def test_changepassword_command_revokes_them(practitioner, secret_for, monkeypatch):
    secret = secret_for(practitioner)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", practitioner.email, stdout=None)

    assert api_status(secret) == 401
