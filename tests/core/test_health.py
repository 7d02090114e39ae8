"""The health endpoints (core/health.py): a status for anyone, details for monitors and admins,
and a beat heartbeat that goes stale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from accounts.models import Role
from core.health import record_beat_heartbeat
from core.tasks import beat_heartbeat
from cpd_portal.celery import app
from tests.factories import make_user

TOKEN = "monitor-token-for-tests"
EVERY_CHECK = {"database", "cache", "storage", "broker", "beat"}


@pytest.fixture(autouse=True)
def _monitor_token(settings):
    settings.HEALTH_CHECK_TOKEN = TOKEN


def as_monitor() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_anyone_sees_only_the_status(client, db):
    response = client.get("/health/web/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_monitor_with_the_token_sees_each_check(client, db):
    record_beat_heartbeat()

    response = client.get("/health/", headers=as_monitor())

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(EVERY_CHECK, "ok")}


@pytest.mark.parametrize("offered", ["Bearer wrong-token", "Bearer ", TOKEN])
def test_a_wrong_token_sees_only_the_status(client, db, offered):
    response = client.get("/health/web/", headers={"Authorization": offered})

    assert response.json() == {"status": "ok"}


def test_with_no_token_configured_no_header_sees_details(client, db, settings):
    settings.HEALTH_CHECK_TOKEN = ""

    response = client.get("/health/web/", headers={"Authorization": "Bearer "})

    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(("role", "sees_details"), [(Role.ADMIN, True), (Role.PRACTITIONER, False)])
def test_only_a_signed_in_admin_sees_each_check(client_for, db, role, sees_details):
    client = client_for(make_user("someone@example.org", role=role))

    response = client.get("/health/web/")

    assert ("checks" in response.json()) is sees_details


def test_without_a_beat_heartbeat_the_whole_answer_is_unavailable_but_the_web_one_is_not(
    client, db
):
    whole = client.get("/health/", headers=as_monitor())
    web = client.get("/health/web/", headers=as_monitor())

    assert whole.status_code == 503
    assert whole.json()["status"] == "unavailable"
    assert whole.json()["checks"]["beat"].startswith("Unavailable: no heartbeat")
    assert web.status_code == 200
    assert client.get("/health/").json() == {"status": "unavailable"}


def test_the_scheduled_heartbeat_task_records_it(client, db):
    schedule = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert schedule["task"] == beat_heartbeat.name
    assert schedule["task"] in app.tasks

    beat_heartbeat()

    assert client.get("/health/", headers=as_monitor()).json()["checks"]["beat"] == "ok"


def test_a_heartbeat_older_than_the_limit_counts_as_none(client, db, settings, time_machine):
    # The local-memory cache expires keys by this process's clock, which the test moves; Redis
    # would expire them by its own.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS = 300
    record_beat_heartbeat()

    time_machine.shift(dt.timedelta(seconds=299))
    assert client.get("/health/", headers=as_monitor()).json()["checks"]["beat"] == "ok"
    time_machine.shift(dt.timedelta(seconds=2))
    assert client.get("/health/", headers=as_monitor()).status_code == 503


def test_a_health_probe_over_plain_http_is_not_redirected(client, db, settings):
    """The load balancer may probe over http; everything else is sent to https."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/web/").status_code == 200
    assert client.get("/").status_code == 301
