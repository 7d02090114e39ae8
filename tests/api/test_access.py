"""Who may call what: every endpoint as the owner of the data, as another practitioner, as a
programme leader with whom the owner shares her whole portfolio (the API gives a leader
nothing of a student's: sharing is read on the programme pages only) and as nobody."""

from __future__ import annotations

import pytest

from portfolio.models import Capability, Entry
from programmes.models import Membership
from tests.factories import make_entry
from tests.programmes.conftest import make_cohort
from tests.resources.factories import make_event, make_resource

OWNER_TITLE = "Alex reflects on a webinar"
NOT_OWNERS = ["other_practitioner", "programme_leader"]
PATCH = {"title": "Changed by someone else"}


@pytest.fixture
def entry(practitioner, programme_leader) -> Entry:
    cohort = make_cohort(programme_leader, "Post-qualifying award")
    Membership.objects.create(cohort=cohort, student=practitioner, shared_year=None)
    return make_entry(practitioner, title=OWNER_TITLE)


def detail(entry: Entry) -> str:
    return f"/api/v1/activities/{entry.pk}/"


def test_the_owner_lists_reads_changes_and_deletes_her_entry(practitioner, entry, api_for):
    client = api_for(practitioner)
    assert [a["id"] for a in client.get("/api/v1/activities/").json()["results"]] == [entry.pk]
    assert client.get(detail(entry)).json()["title"] == OWNER_TITLE
    assert client.patch(detail(entry), {"title": "Renamed"}, format="json").status_code == 200
    assert client.delete(detail(entry)).status_code == 204
    assert not Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("viewer", NOT_OWNERS)
def test_someone_elses_entry_is_not_listed_and_answers_404(request, entry, api_for, viewer):
    client = api_for(request.getfixturevalue(viewer))
    listed = client.get("/api/v1/activities/")
    assert listed.status_code == 200
    assert listed.json()["count"] == 0
    assert OWNER_TITLE not in listed.content.decode()
    for call in (
        client.get(detail(entry)),
        client.put(detail(entry), {**PATCH, "activity_type": "other"}, format="json"),
        client.patch(detail(entry), PATCH, format="json"),
        client.delete(detail(entry)),
    ):
        assert call.status_code == 404
        assert OWNER_TITLE not in call.content.decode()
    entry.refresh_from_db()
    assert entry.title == OWNER_TITLE


@pytest.mark.parametrize("viewer", NOT_OWNERS)
def test_filters_do_not_reach_someone_elses_entries(request, entry, api_for, viewer):
    client = api_for(request.getfixturevalue(viewer))
    for query in ("q=webinar", "status=complete", "capability=PCF5", "updated_since=2000-01-01"):
        assert client.get(f"/api/v1/activities/?{query}").json()["count"] == 0


def test_anonymous_calls_answer_401_and_change_nothing(entry, api_for):
    client = api_for(None)
    make_resource()
    urls = [
        "/api/v1/activities/",
        detail(entry),
        "/api/v1/capabilities/",
        f"/api/v1/capabilities/{Capability.objects.first().pk}/",
        "/api/v1/resources/",
        "/api/v1/events/",
    ]
    for url in urls:
        assert client.get(url).status_code == 401, url
    assert client.post("/api/v1/activities/", {"title": "x"}, format="json").status_code == 401
    assert client.patch(detail(entry), PATCH, format="json").status_code == 401
    assert client.delete(detail(entry)).status_code == 401
    entry.refresh_from_db()
    assert entry.title == OWNER_TITLE


@pytest.mark.parametrize("viewer", ["practitioner", *NOT_OWNERS])
def test_everyone_signed_in_reads_the_shared_reference_data(db, request, api_for, viewer):
    client = api_for(request.getfixturevalue(viewer))
    capability = Capability.objects.get(code="PCF5")
    resource = make_resource(title="Community Care")
    event = make_event(title="#SWSCmedia chat")
    assert client.get("/api/v1/capabilities/").json()["count"] == Capability.objects.count()
    assert client.get(f"/api/v1/capabilities/{capability.pk}/").json()["code"] == "PCF5"
    assert client.get(f"/api/v1/resources/{resource.pk}/").json()["title"] == "Community Care"
    assert client.get("/api/v1/resources/").json()["count"] == 1
    assert client.get(f"/api/v1/events/{event.pk}/").json()["title"] == "#SWSCmedia chat"
    assert client.get("/api/v1/events/").json()["count"] == 1
