"""A signed-in session ends after an idle spell, and, however busy, a set time after it began,
"Remember me" or not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portfolio:dashboard")


@pytest.fixture(autouse=True)
def bounds(settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60


def signed_in(client, user, remember: bool = False):
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    client.post(reverse("account_login"), data)
    assert client.get(DASHBOARD).status_code == 200
    return client


def test_a_session_idle_too_long_ends(practitioner, client, time_machine):
    signed_in(client, practitioner)

    time_machine.shift(dt.timedelta(minutes=29))
    assert client.get(DASHBOARD).status_code == 200
    time_machine.shift(dt.timedelta(minutes=29))  # busy: the spell starts again
    assert client.get(DASHBOARD).status_code == 200
    time_machine.shift(dt.timedelta(minutes=31))
    response = client.get(DASHBOARD, follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert "signed out because your session ended" in response.content.decode()


def test_a_remembered_busy_session_still_ends_at_its_bound(practitioner, client, time_machine):
    signed_in(client, practitioner, remember=True)
    assert client.session.get_expiry_age() <= 8 * 60 * 60

    for _ in range(7 * 4):  # a request every quarter of an hour for seven hours
        time_machine.shift(dt.timedelta(minutes=15))
        assert client.get(DASHBOARD).status_code == 200
    time_machine.shift(dt.timedelta(hours=1, minutes=1))  # busy, but past eight hours in all
    for _ in range(4):
        time_machine.shift(dt.timedelta(minutes=15))
        response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_api_answers_as_to_anyone_once_the_session_ended(practitioner, client, time_machine):
    signed_in(client, practitioner)
    time_machine.shift(dt.timedelta(minutes=31))

    assert client.get("/api/v1/activities/").status_code in (401, 403)


def test_anonymous_visitors_are_unaffected(client, time_machine):
    assert client.get(reverse("home")).status_code == 200
    time_machine.shift(dt.timedelta(days=2))
    assert client.get(reverse("home")).status_code == 200


def test_pages_soon_after_signing_in_write_no_session(practitioner, client):
    """Signing in notes when the session began and was last seen, so the idle check has
    nothing to save on the pages that follow within the minute."""
    client.post(reverse("account_login"), {"login": practitioner.email, "password": PASSWORD})

    with CaptureQueriesContext(connection) as captured:
        client.get(DASHBOARD)

    writes = [q["sql"] for q in captured if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert [sql for sql in writes if "django_session" in sql] == []
