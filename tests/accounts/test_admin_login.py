"""The admin has no log-in of its own: its pages are reached through the site's log-in, with
its rate limit, verified email and second factor."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db


def test_posting_passwords_to_the_admin_log_in_never_signs_in(client):
    admin_user = make_user("root@example.org", role=Role.ADMIN, is_superuser=True)

    for password in ["wrong-1", "wrong-2", PASSWORD]:
        response = client.post(
            reverse("admin:login"), {"username": admin_user.email, "password": password}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_the_admin_sends_to_the_sites_log_in_and_back(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0] == (
        f"{reverse('account_login')}?next={quote(reverse('admin:index'), safe='')}"
    )


def test_an_admin_reaches_the_admin_only_after_the_site_log_in_and_second_factor(client):
    admin_user = make_user("root@example.org", role=Role.ADMIN, is_superuser=True)
    login_url = f"{reverse('account_login')}?next={reverse('admin:index')}"

    response = client.post(login_url, {"login": admin_user.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get(reverse("admin:index")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:login"))["Location"] == reverse("admin:index")


def test_an_admin_without_a_second_factor_is_sent_to_set_one_up(client_for):
    client = client_for(make_user(role=Role.ADMIN, mfa=False))

    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.PROGRAMME_LEADER])
def test_anyone_else_signed_in_is_refused_rather_than_sent_round_in_circles(role, client_for):
    client = client_for(make_user(role=role))

    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_the_admins_password_change_is_the_sites(client_for):
    client = client_for(make_user(role=Role.ADMIN))

    response = client.get(reverse("admin:password_change"))

    assert response["Location"] == reverse("account_change_password")
