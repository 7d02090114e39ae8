"""The OpenAPI schema the app serves, and schemathesis run against it: generated requests to
every operation, sent with a read and write token, must never meet a server error and every
answer must match what the schema says."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.models import Scope
from tests.factories import make_entry
from tests.resources.factories import make_event, make_resource

EXAMPLES_PER_OPERATION = 25


def test_the_schema_is_served_and_documents_bearer_tokens(db):
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["personalAccessToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["personalAccessToken"][
            "description"
        ],
    }
    assert "Evidence files are not part of the API" in schema["info"]["description"]
    assert {
        "/api/v1/activities/",
        "/api/v1/activities/{id}/",
        "/api/v1/capabilities/",
        "/api/v1/capabilities/{id}/",
        "/api/v1/resources/",
        "/api/v1/resources/{id}/",
        "/api/v1/events/",
        "/api/v1/events/{id}/",
    } == set(schema["paths"])
    entries = schema["paths"]["/api/v1/activities/"]
    assert set(entries) == {"get", "post"}
    assert {p["name"] for p in entries["get"]["parameters"]} >= {
        "status",
        "activity_type",
        "platform",
        "date_from",
        "date_to",
        "capability",
        "tag",
        "q",
        "updated_since",
        "page",
        "page_size",
    }


def test_the_list_filters_are_described_and_the_pages_year_is_not_one(db):
    schema = APIClient().get("/api/schema/?format=json").json()

    def described(path: str) -> dict[str, str]:
        parameters = schema["paths"][path]["get"]["parameters"]
        return {p["name"]: p.get("description", "") for p in parameters}

    entries, resources = described("/api/v1/activities/"), described("/api/v1/resources/")
    assert entries["q"] == "Words that must all appear in the entry or its tags."
    for described_by_id_or_code in (entries["capability"], resources["capability"]):
        assert described_by_id_or_code == "A capability's id or code, such as PCF5."
    assert entries["tag"] == "One of your tags, by name."
    assert entries["date_from"] == "Entries dated on or after this day."
    assert entries["date_to"] == "Entries dated on or before this day."
    assert entries["updated_since"].startswith("Entries changed at or after this moment")
    assert entries["status"] == "* `draft` - Draft\n* `complete` - Complete"
    assert "year" not in entries
    assert resources["q"] == "Search words; results come best match first."
    assert resources["tag"] == "A topic, by name."


@pytest.fixture
def owner(practitioner):
    make_entry(practitioner)
    make_resource()
    make_event()
    return practitioner


@pytest.fixture
def keep_the_test_transaction():
    """Django closes a connection that is inside a transaction when a request starts or
    finishes; its test client switches that off around each request, and so must a test that
    calls the WSGI application itself, or the test's transaction would be rolled back."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_api_never_fails_and_answers_as_its_schema_says(
    owner, secret_for, settings, keep_the_test_transaction
):
    # Hundreds of requests in one test: lift the rate limits, which have tests of their own.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
    }
    headers = {"Authorization": f"Bearer {secret_for(owner, Scope.WRITE)}"}
    api = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 12

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            if "id" in (case.path_parameters or {}) and case.path.startswith("/api/v1/activities"):
                # Random ids would only ever meet 404: give changes and deletions an entry.
                case.path_parameters["id"] = make_entry(owner).pk
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        call()
