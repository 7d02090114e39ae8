"""The pages where a signed-in user makes, lists and revokes API tokens: any role may have
tokens, nobody sees or revokes anyone else's, and the secret is shown once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.models import AccessToken, Scope
from api.tokens import create_token, hash_secret

LIST = reverse("tokens:list")
NEW = reverse("tokens:create")
SIGNED_IN = ["practitioner", "other_practitioner", "programme_leader"]


@pytest.fixture
def token(practitioner) -> AccessToken:
    return create_token(practitioner, name="Alex's reading app", scope=Scope.READ)[0]


def revoke_url(token: AccessToken) -> str:
    return reverse("tokens:revoke", args=[token.pk])


@pytest.mark.parametrize("url", [LIST, NEW, "/accounts/tokens/1/revoke/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_posts_create_and_revoke_nothing(client, token):
    client.post(NEW, {"name": "Sneaky", "scope": "write"})
    client.post(revoke_url(token))
    token.refresh_from_db()
    assert AccessToken.objects.count() == 1
    assert token.revoked_at is None


@pytest.mark.parametrize("viewer", SIGNED_IN)
def test_every_role_creates_a_token_and_sees_its_secret_once(db, request, client_for, viewer):
    user = request.getfixturevalue(viewer)
    client = client_for(user)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, {"name": "Sync app", "scope": "write", "lifetime": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = AccessToken.objects.get(owner=user)
    assert (token.name, token.scope, token.token_hash) == ("Sync app", "write", hash_secret(secret))
    assert token.expires_at is not None

    listing = client.get(LIST).content.decode()
    assert "Sync app" in listing and token.prefix in listing
    assert secret not in listing


def test_a_token_without_a_name_is_refused_with_a_message(practitioner, client_for):
    response = client_for(practitioner).post(NEW, {"name": "", "scope": "read"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not AccessToken.objects.exists()


def test_the_owner_revokes_her_token_after_confirming(practitioner, client_for, token):
    client = client_for(practitioner)
    confirm = client.get(revoke_url(token))
    assert confirm.status_code == 200
    assert "Revoke “Alex&#x27;s reading app”?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # looking at the question revokes nothing

    response = client.post(revoke_url(token), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "no longer works" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("viewer", ["other_practitioner", "programme_leader"])
def test_nobody_else_sees_or_revokes_a_token(request, client_for, token, viewer):
    client = client_for(request.getfixturevalue(viewer))
    assert "reading app" not in client.get(LIST).content.decode()
    assert client.get(revoke_url(token)).status_code == 404
    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_links_to_the_tokens(practitioner, client_for):
    assert LIST in client_for(practitioner).get(reverse("accounts:profile")).content.decode()
