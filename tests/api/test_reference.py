"""Capabilities, the library and events: read through the same querysets as the pages, so
retired resources and unpublished events stay out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portfolio.models import Capability
from resources.models import Publication, Recurrence, ResourceKind, ResourceTag
from resources.reading_list import set_saved
from tests.resources.factories import LONDON, make_event, make_resource


@pytest.fixture
def client(practitioner, api_for):
    return api_for(practitioner)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["results"]]


def test_capabilities_come_with_their_framework_and_filter_by_it(client):
    pcf = client.get("/api/v1/capabilities/?framework=pcf&page_size=100").json()
    assert pcf["count"] == Capability.objects.filter(framework__slug="pcf").count() > 0
    first = pcf["results"][0]
    assert first["framework"]["slug"] == "pcf"
    assert {"id", "code", "name", "description"} <= set(first)


def test_only_published_resources_are_listed_or_readable(client, practitioner):
    published = make_resource(title="Community Care")
    retired = make_resource(title="An old blog", status=Publication.RETIRED)
    set_saved(practitioner, published, True)
    assert titles(client.get("/api/v1/resources/")) == ["Community Care"]
    assert client.get(f"/api/v1/resources/{published.pk}/").json()["is_saved"] is True
    assert client.get(f"/api/v1/resources/{retired.pk}/").status_code == 404


def test_resource_filters(client):
    pcf5 = Capability.objects.get(code="PCF5")
    topic = ResourceTag.objects.create(name="Mental capacity")
    make_resource(title="Capacity podcast", kind=ResourceKind.PODCAST, tags=[topic])
    make_resource(title="Reflective blog", summary="On critical reflection", capabilities=[pcf5])
    assert titles(client.get("/api/v1/resources/?kind=podcast")) == ["Capacity podcast"]
    assert titles(client.get("/api/v1/resources/?capability=PCF5")) == ["Reflective blog"]
    assert titles(client.get("/api/v1/resources/?tag=mental+capacity")) == ["Capacity podcast"]
    assert titles(client.get("/api/v1/resources/?q=reflection")) == ["Reflective blog"]
    assert titles(client.get("/api/v1/resources/?tag=unknown")) == []


def test_events_are_upcoming_by_default_soonest_first(client):
    now = timezone.now()
    make_event(now - dt.timedelta(days=3), title="Over")
    make_event(now + dt.timedelta(days=9), title="Later")
    make_event(now + dt.timedelta(days=2), title="Soon")
    make_event(now + dt.timedelta(days=1), title="Unpublished", status=Publication.RETIRED)
    response = client.get("/api/v1/events/")
    assert [row["event"]["title"] for row in response.json()["results"]] == ["Soon", "Later"]
    assert response.json()["results"][0]["session"]["start"]


def test_events_in_a_window_of_days(client):
    weekly = make_event(
        dt.datetime(2030, 1, 8, 20, 0, tzinfo=LONDON),
        title="Weekly chat",
        recurrence=Recurrence.WEEKLY,
    )
    make_event(dt.datetime(2030, 3, 1, 12, 0, tzinfo=LONDON), title="Webinar in March")

    def listed(query: str) -> list[tuple[str, str]]:
        results = client.get(f"/api/v1/events/?{query}").json()["results"]
        return [(row["event"]["title"], row["session"]["start"][:10]) for row in results]

    assert listed("date_from=2030-02-01&date_to=2030-02-28") == [("Weekly chat", "2030-02-05")]
    assert listed("date_from=2030-03-01&date_to=2030-03-01") == [("Webinar in March", "2030-03-01")]
    assert listed("date_from=2030-03-02&date_to=2030-03-04") == []
    detail = client.get(f"/api/v1/events/{weekly.pk}/").json()
    assert detail["repeats"] == "Every Tuesday"
    assert len(detail["upcoming_sessions"]) == 5


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("date_from=2030-02-01&date_to=2030-01-01", "date_to", "before the start date"),
        ("date_from=tomorrow", "date_from", "wrong format"),
        ("date_to=9999-12-31", "date_to", "Choose a day from"),
        ("date_from=1999-12-31", "date_from", "Choose a day from"),
    ],
)
def test_a_bad_event_window_is_refused_with_a_message(client, query, field, message):
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
