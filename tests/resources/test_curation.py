"""Curators at work: resources, lists and events, suggestions, and bad input refused clearly
with nothing half-saved."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from resources.curation import add_to_list, move_in_list, remove_from_list
from resources.models import (
    CuratedListItem,
    Event,
    Resource,
    Suggestion,
    SuggestionStatus,
)
from tests.resources.factories import make_event, make_list, make_resource, make_suggestion

BAD_URLS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x.org/a"]


def resource_data(**overrides) -> dict:
    return {
        "title": "Social Work England: CPD",
        "kind": "policy",
        "url": "https://www.socialworkengland.org.uk/cpd/",
        "source": "Social Work England",
        "hashtag": "",
        "summary": "What the regulator asks for each year.",
        "tag_names": "cpd planning, Regulation",
        **overrides,
    }


# --- Resources -------------------------------------------------------------------------------


def test_curator_adds_a_resource_with_capabilities_and_topics(admin, client_for):
    from portfolio.models import Capability

    swe4 = Capability.objects.get(code="SWE4")

    response = client_for(admin).post(
        reverse("resources:curation_resource_create"),
        resource_data(capabilities=[swe4.pk], hashtag="#CPD"),
    )

    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.title, resource.kind, resource.hashtag) == (
        "Social Work England: CPD",
        "policy",
        "CPD",
    )
    assert list(resource.capabilities.all()) == [swe4]
    assert {t.name for t in resource.tags.all()} == {"cpd planning", "Regulation"}


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_resource_link_must_be_a_web_address(url, admin, client_for):
    response = client_for(admin).post(
        reverse("resources:curation_resource_create"), resource_data(url=url)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [
        "Enter a web address that starts with http:// or https://."
    ]
    assert "Please check the form" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_same_link_cannot_be_added_twice(admin, client_for):
    make_resource(url="https://www.socialworkengland.org.uk/cpd/")

    response = client_for(admin).post(
        reverse("resources:curation_resource_create"), resource_data()
    )

    assert "This link is already in the library." in response.context["form"].errors["url"]
    assert Resource.objects.count() == 1


def test_retiring_and_restoring_a_resource_with_htmx(admin, client_for):
    resource = make_resource()
    client = client_for(admin)
    url = reverse("resources:curation_resource_publication", args=[resource.pk])

    retired = client.post(url, {"status": "retired"}, HTTP_HX_REQUEST="true")
    resource.refresh_from_db()
    assert resource.status == "retired"
    assert retired.content.decode().lstrip().startswith(f'<tr id="resource-{resource.pk}">')
    assert "Restore" in retired.content.decode()

    client.post(url, {"status": "published"})
    resource.refresh_from_db()
    assert resource.status == "published"
    assert client.post(url, {"status": "deleted"}).status_code == 400


# --- Curated lists -----------------------------------------------------------------------------


def titles(curated_list) -> list[str]:
    return [item.resource.title for item in curated_list.items.select_related("resource")]


def test_items_move_up_and_down_and_stay_put_at_the_ends(db):
    a, b, c = (make_resource(title=t) for t in "ABC")
    curated_list = make_list([a, b, c])
    items = {i.resource.title: i for i in curated_list.items.select_related("resource")}

    move_in_list(items["C"], -1)
    assert titles(curated_list) == ["A", "C", "B"]
    move_in_list(items["A"], -1)
    assert titles(curated_list) == ["A", "C", "B"]
    move_in_list(items["A"], 1)
    assert titles(curated_list) == ["C", "A", "B"]
    move_in_list(items["B"], 1)
    assert titles(curated_list) == ["C", "A", "B"]
    assert [i.position for i in curated_list.items.all()] == [0, 1, 2]


def test_removing_an_item_closes_the_gap_and_adding_goes_to_the_end(db):
    a, b, c, d = (make_resource(title=t) for t in "ABCD")
    curated_list = make_list([a, b, c])

    remove_from_list(curated_list.items.get(resource=b))
    add_to_list(curated_list, d, "New")

    assert titles(curated_list) == ["A", "C", "D"]
    assert [i.position for i in curated_list.items.all()] == [0, 1, 2]


def test_reorder_buttons_answer_htmx_with_the_list(admin, client_for):
    a, b = make_resource(title="First resource"), make_resource(title="Second resource")
    curated_list = make_list([a, b])
    item = curated_list.items.get(resource=b)

    response = client_for(admin).post(
        reverse("resources:curation_item_move", args=[item.pk]),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="list-items"')
    assert content.index("Second resource") < content.index("First resource")
    assert titles(curated_list) == ["Second resource", "First resource"]


def test_curator_adds_a_resource_with_a_note_and_cannot_add_it_twice(admin, client_for):
    resource = make_resource(title="Mental Capacity Act code")
    curated_list = make_list([], title="MHA and MCA")
    url = reverse("resources:curation_item_add", args=[curated_list.pk])
    client = client_for(admin)

    client.post(url, {"resource": resource.pk, "note": "Start with chapter 5."})
    again = client.post(url, {"resource": resource.pk, "note": "Twice"}, HTTP_HX_REQUEST="true")

    item = CuratedListItem.objects.get()
    assert (item.resource, item.note) == (resource, "Start with chapter 5.")
    assert "Select a valid choice" in again.content.decode()


def test_the_public_list_shows_notes_in_order_without_retired_resources(db, client):
    a, b, c = (make_resource(title=t) for t in ["Alpha read", "Beta read", "Gamma read"])
    curated_list = make_list([c, a, b], title="Accounts worth following")
    b.status = "retired"
    b.save()

    content = client.get(curated_list.get_absolute_url()).content.decode()

    assert content.index("Gamma read") < content.index("Alpha read")
    assert "Beta read" not in content
    assert "Why Gamma read is here." in content


# --- Events ----------------------------------------------------------------------------------


def event_data(**overrides) -> dict:
    return {
        "title": "#SWSCmedia chat",
        "kind": "live_chat",
        "hashtag": "#SWSCmedia",
        "host": "SWSCmedia",
        "platform": "x",
        "starts": "2030-11-26T15:00",
        "ends": "2030-11-26T16:00",
        "time_zone": "America/New_York",
        "recurrence": "weekly",
        "repeat_until": "2031-06-30",
        **overrides,
    }


def test_event_times_are_read_in_the_events_own_time_zone(admin, client_for):
    response = client_for(admin).post(reverse("resources:curation_event_create"), event_data())

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at == dt.datetime(2030, 11, 26, 20, tzinfo=dt.UTC)
    assert event.ends_at == dt.datetime(2030, 11, 26, 21, tzinfo=dt.UTC)
    assert (event.hashtag, event.repeat_until) == ("SWSCmedia", dt.date(2031, 6, 30))


def test_editing_an_event_shows_its_own_wall_clock_times(admin, client_for):
    event = make_event(
        start=dt.datetime(2030, 11, 26, 15, tzinfo=ZoneInfo("America/New_York")),
        time_zone="America/New_York",
    )

    form = (
        client_for(admin)
        .get(reverse("resources:curation_event_edit", args=[event.pk]))
        .context["form"]
    )

    assert 'value="2030-11-26T15:00"' in str(form["starts"])


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends": "2030-11-26T14:00"}, "ends", "The event must end after it starts."),
        ({"ends": "2030-11-26T15:00"}, "ends", "The event must end after it starts."),
        (
            {
                "starts": "2030-03-31T01:30",
                "ends": "2030-03-31T03:00",
                "time_zone": "Europe/London",
            },
            "starts",
            "That time does not exist in Europe/London: the clocks go forward.",
        ),
        (
            {"repeat_until": "2030-01-01"},
            "repeat_until",
            "The last repeat cannot be before the first session.",
        ),
        ({"url": "javascript:alert(1)"}, "url", "Enter a web address"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
    ],
)
def test_bad_events_are_refused_with_a_clear_error(overrides, field, message, admin, client_for):
    response = client_for(admin).post(
        reverse("resources:curation_event_create"), event_data(**overrides)
    )

    assert response.status_code == 200
    assert any(e.startswith(message) for e in response.context["form"].errors[field])
    assert not Event.objects.exists()


def test_the_database_refuses_an_event_that_ends_before_it_starts(db):
    from django.db import IntegrityError

    start = dt.datetime(2030, 1, 1, 20, tzinfo=dt.UTC)
    with pytest.raises(IntegrityError):
        Event.objects.create(title="Backwards", kind="webinar", starts_at=start, ends_at=start)


# --- Suggestions -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_suggestion_needs_a_web_address(url, practitioner, client_for):
    response = client_for(practitioner).post(
        reverse("resources:suggestion_create"), {"url": url, "reason": "Great read."}
    )

    assert "url" in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_a_suggestion_already_in_the_library_is_pointed_out(practitioner, client_for):
    make_resource(title="CareSpace", url="https://www.communitycare.co.uk/carespace/")

    response = client_for(practitioner).post(
        reverse("resources:suggestion_create"),
        {"url": "www.communitycare.co.uk/carespace/", "reason": "Lively forum."},
    )

    assert response.context["form"].errors["url"] == [
        "This link is already in the library as “CareSpace”."
    ]


def test_approving_a_suggestion_adds_the_resource_and_tells_the_suggester(
    practitioner, admin, client_for
):
    suggestion = make_suggestion(
        practitioner, url="https://khub.net/", title="Knowledge Hub", reason="Free webinars."
    )
    curator = client_for(admin)
    approve = reverse("resources:curation_suggestion_approve", args=[suggestion.pk])

    form = curator.get(approve).context["form"]
    assert form["url"].value() == "https://khub.net/"
    assert form["summary"].value() == "Free webinars."
    curator.post(approve, resource_data(url="https://khub.net/", title="Knowledge Hub"))

    suggestion.refresh_from_db()
    resource = Resource.objects.get(url="https://khub.net/")
    assert (suggestion.status, suggestion.resource, suggestion.decided_by) == (
        SuggestionStatus.APPROVED,
        resource,
        admin,
    )
    mine = client_for(practitioner).get(reverse("resources:suggestion_list")).content.decode()
    assert "Added to the library" in mine
    assert resource.get_absolute_url() in mine
    assert curator.get(approve).status_code == 404  # decided: no longer in the queue


def test_declining_needs_a_reason_which_the_suggester_reads(practitioner, admin, client_for):
    suggestion = make_suggestion(practitioner, title="A tabloid column")
    curator = client_for(admin)
    decline = reverse("resources:curation_suggestion_decline", args=[suggestion.pk])

    refused = curator.post(decline, {"decline_reason": " "}, HTTP_HX_REQUEST="true")
    suggestion.refresh_from_db()
    assert suggestion.is_pending
    assert "This field is required." in refused.content.decode()

    done = curator.post(
        decline, {"decline_reason": "Not a reliable source."}, HTTP_HX_REQUEST="true"
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decline_reason) == ("declined", "Not a reliable source.")
    assert (
        done.content.decode()
        .lstrip()
        .startswith(f'<article class="suggestion" id="suggestion-{suggestion.pk}"')
    )
    mine = client_for(practitioner).get(reverse("resources:suggestion_list")).content.decode()
    assert "Declined" in mine
    assert "Not a reliable source." in mine


def test_a_decided_suggestion_is_not_decided_again(practitioner, admin, client_for):
    suggestion = make_suggestion(practitioner)
    curator = client_for(admin)
    decline = reverse("resources:curation_suggestion_decline", args=[suggestion.pk])
    curator.post(decline, {"decline_reason": "First answer."})

    curator.post(decline, {"decline_reason": "Second answer."})

    suggestion.refresh_from_db()
    assert suggestion.decline_reason == "First answer."


@pytest.mark.parametrize(
    "url",
    [
        "/admin/resources/resource/",
        "/admin/resources/curatedlist/add/",
        "/admin/resources/event/",
        "/admin/resources/suggestion/",
    ],
)
def test_the_library_is_in_the_django_admin_too(url, db, client_for):
    from accounts.models import Role
    from tests.factories import make_user

    superuser = make_user("root@example.org", role=Role.ADMIN, is_superuser=True)
    make_resource()

    assert client_for(superuser).get(url).status_code == 200
