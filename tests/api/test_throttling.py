"""Rate limits, counted in the cache (Redis in the test run): per token, per user across all
their tokens, and per address for anonymous calls; over the limit, 429 with Retry-After."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

ACTIVITIES = "/api/v1/activities/"


@pytest.fixture
def rates(settings):
    def set_rates(**rates: str) -> None:
        defaults = {"anon": "100/minute", "user": "100/minute", "token": "100/minute"}
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**defaults, **rates},
        }

    return set_rates


def test_each_token_has_its_own_budget(practitioner, api_for, rates):
    rates(token="2/minute")
    busy, other = api_for(practitioner), api_for(practitioner)
    assert [busy.get(ACTIVITIES).status_code for _ in range(2)] == [200, 200]
    refused = busy.get(ACTIVITIES)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"].lower()
    assert other.get(ACTIVITIES).status_code == 200


def test_a_user_has_one_budget_across_tokens(practitioner, other_practitioner, api_for, rates):
    rates(user="3/minute")
    clients = [api_for(practitioner) for _ in range(4)]
    assert [c.get(ACTIVITIES).status_code for c in clients] == [200, 200, 200, 429]
    assert api_for(other_practitioner).get(ACTIVITIES).status_code == 200


def test_anonymous_calls_are_limited_by_address(db, rates):
    rates(anon="2/minute")
    client = APIClient()
    assert [client.get("/api/schema/").status_code for _ in range(3)] == [200, 200, 429]
