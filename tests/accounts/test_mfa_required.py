"""Programme leaders and admins must set up a second factor before anything else works for
them; practitioners may, and anyone who has one is asked for it when signing in."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.mfa import MFA_REQUIRED_MESSAGE
from accounts.models import Role
from api.tokens import create_token
from tests.factories import PASSWORD, TOTP_SECRET, make_user, totp_code

pytestmark = pytest.mark.django_db

LEADING_ROLES = [Role.PROGRAMME_LEADER, Role.ADMIN]


def signed_in(client, user):
    """``client``, signed in through the log-in page (and the second factor, if set up), then
    asked for the password again, as setting up or removing a second factor requires."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    if response["Location"] == reverse("mfa_authenticate"):
        client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


PAGES = ["portfolio:dashboard", "accounts:profile", "home", "tokens:list", "programmes:home"]


@pytest.mark.parametrize("role", LEADING_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_a_leader_or_admin_without_a_second_factor_is_sent_to_set_one_up(role, page, client_for):
    client = client_for(make_user(role=role, mfa=False))

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("role", LEADING_ROLES)
def test_the_set_up_pages_log_out_and_static_files_stay_reachable(role, client):
    signed_in(client, make_user(role=role, mfa=False))

    index = client.get(reverse("portfolio:dashboard"), follow=True)
    assert index.redirect_chain == [(reverse("mfa_index"), 302)]
    assert MFA_REQUIRED_MESSAGE in index.content.decode()
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    assert client.get("/static/app.css").status_code != 302
    assert client.post(reverse("account_logout"))["Location"] == reverse("home")
    assert client.get(reverse("portfolio:dashboard"))["Location"].startswith(
        reverse("account_login")
    )


@pytest.mark.parametrize("role", LEADING_ROLES)
def test_the_api_refuses_their_session_and_their_tokens_with_the_reason(role, client_for):
    user = make_user(role=role, mfa=False)
    _token, secret = create_token(user, name="Old app", scope="read")

    by_session = client_for(user).get("/api/v1/activities/")
    by_token = client_for(None).get(
        "/api/v1/activities/", headers={"Authorization": f"Bearer {secret}"}
    )

    assert by_session.status_code == 403
    assert by_session.json() == {"detail": MFA_REQUIRED_MESSAGE}
    assert by_token.status_code == 401
    assert by_token.json() == {"detail": MFA_REQUIRED_MESSAGE}


def test_an_htmx_request_is_told_to_load_the_set_up_page(client_for):
    client = client_for(make_user(role=Role.PROGRAMME_LEADER, mfa=False))

    response = client.get(reverse("portfolio:dashboard"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("mfa_index")


@pytest.mark.parametrize("role", LEADING_ROLES)
def test_once_set_up_every_page_works_again(role, client_for):
    client = client_for(make_user(role=role))  # with an authenticator app

    assert client.get(reverse("portfolio:dashboard")).status_code == 200
    assert client.get("/api/v1/activities/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(client_for):
    leader = make_user(role=Role.PROGRAMME_LEADER, mfa=False)
    Authenticator.objects.create(
        user=leader, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "0" * 80}
    )

    response = client_for(leader).get(reverse("portfolio:dashboard"))

    assert response["Location"] == reverse("mfa_index")


def test_removing_the_last_second_factor_sends_a_leader_back_to_set_up(client):
    leader = make_user(role=Role.PROGRAMME_LEADER)
    signed_in(client, leader)
    assert client.get(reverse("portfolio:dashboard")).status_code == 200  # remembered now

    response = client.post(reverse("mfa_deactivate_totp"))  # signed in moments ago

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=leader, type="totp").exists()
    assert client.get(reverse("portfolio:dashboard"))["Location"] == reverse("mfa_index")


def test_a_practitioner_need_not_set_one_up_and_may_from_the_profile(practitioner, client):
    signed_in(client, practitioner)

    assert client.get(reverse("portfolio:dashboard")).status_code == 200
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in profile
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_anonymous_visitors_are_unaffected(client):
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 200
    assert client.get(reverse("portfolio:dashboard"))["Location"].startswith(
        reverse("account_login")
    )


@pytest.mark.parametrize("role", [Role.PRACTITIONER, *LEADING_ROLES])
def test_signing_in_asks_for_the_second_factor_once_set_up(role, client):
    user = make_user(role=role, mfa=True)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("portfolio:dashboard"))["Location"].startswith(
        reverse("account_login")
    )
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert response["Location"] == reverse("portfolio:dashboard")
    assert client.get(reverse("portfolio:dashboard")).status_code == 200


def test_a_wrong_code_does_not_sign_in(client):
    user = make_user(role=Role.PROGRAMME_LEADER)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert client.get(reverse("portfolio:dashboard")).status_code == 302
