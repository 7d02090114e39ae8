"""Who may open what in the library: every view, as an admin, a practitioner, a programme
leader and an anonymous visitor. Browsing is public, what is personal needs a login, and
curation is for staff only; a refused request changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Entry
from resources.models import (
    CuratedList,
    CuratedListItem,
    Event,
    ReadingListEntry,
    Resource,
    ResourceTag,
    Suggestion,
)
from tests.factories import make_entry
from tests.resources.factories import (
    make_event,
    make_list,
    make_resource,
    make_suggestion,
)

ROLES = ["admin", "practitioner", "programme_leader", None]
SIGNED_IN = ["admin", "practitioner", "programme_leader"]
NOT_STAFF = ["practitioner", "programme_leader"]
MY_SUGGESTION = "Alex suggests the MCA code of practice"
OTHERS_SUGGESTION = "Jo suggests a podcast"
CSV_TEXT = "title,url,kind\nImported by this request,https://example.org/imported,blog\n"


@dataclass
class Library:
    resource: Resource
    second: Resource
    extra: Resource
    curated_list: CuratedList
    item: CuratedListItem
    event: Event
    past_event: Event
    suggestion: Suggestion
    others_suggestion: Suggestion

    @property
    def session(self) -> str:
        return self.past_event.starts_at.isoformat()


@pytest.fixture
def library(practitioner, other_practitioner) -> Library:
    resource = make_resource(title="Community Care's CareSpace", kind="community")
    second = make_resource(title="The Knowledge Hub")
    curated_list = make_list([resource, second], title="Getting started", slug="getting-started")
    started = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    return Library(
        resource=resource,
        second=second,
        extra=make_resource(title="Research in Practice"),
        curated_list=curated_list,
        item=curated_list.items.first(),
        event=make_event(title="#SWSCmedia monthly chat"),
        past_event=make_event(start=started, title="Yesterday's #lgovsm chat"),
        suggestion=make_suggestion(practitioner, title=MY_SUGGESTION),
        others_suggestion=make_suggestion(other_practitioner, title=OTHERS_SUGGESTION),
    )


def snapshot() -> dict[str, list[dict]]:
    """Every row a library view could change."""
    models = [Resource, ResourceTag, CuratedList, CuratedListItem, Event, Suggestion]
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["saved"] = list(ReadingListEntry.objects.order_by("pk").values())
    rows["entries"] = list(Entry.objects.order_by("pk").values())
    return rows


def resource_form(title: str) -> dict:
    return {"title": title, "kind": "blog", "url": "https://example.org/new-by-request"}


def event_form(title: str) -> dict:
    return {
        "title": title,
        "kind": "webinar",
        "starts": "2030-02-05T19:00",
        "ends": "2030-02-05T20:00",
        "time_zone": "Europe/London",
        "recurrence": "none",
    }


@dataclass(frozen=True)
class Call:
    """One request to one view: its URL name, method, the object in the URL and the data."""

    name: str
    method: str = "get"
    target: str | None = None  # an attribute of Library
    data: Callable[[Library], dict] | None = None
    by_slug: bool = False

    def url(self, library: Library) -> str:
        if self.target is None:
            return reverse(self.name)
        target = getattr(library, self.target)
        return reverse(self.name, args=[target.slug if self.by_slug else target.pk])

    def send(self, client, library: Library):
        data = self.data(library) if self.data else {}
        return getattr(client, self.method)(self.url(library), data)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def R(name: str) -> str:
    return f"resources:{name}"


PUBLIC = [
    Call(R("resource_list")),
    Call(R("resource_list"), data=lambda lib: {"q": "CareSpace"}),
    Call(R("resource_detail"), target="resource"),
    Call(R("list_index")),
    Call(R("list_detail"), target="curated_list", by_slug=True),
    Call(R("event_list")),
    Call(R("event_detail"), target="event"),
    Call(R("event_ics"), target="event"),
    Call(R("events_feed")),
]
PERSONAL = [
    Call(R("reading_list")),
    Call(R("suggestion_list")),
    Call(R("suggestion_create")),
    Call(
        R("suggestion_create"),
        "post",
        data=lambda lib: {"url": "https://example.org/by-request", "reason": "Good."},
    ),
    Call(R("resource_save"), "post", "resource", lambda lib: {"saved": "1"}),
    Call(R("event_took_part"), "post", "past_event", lambda lib: {"session": lib.session}),
]
CURATION = [
    Call(R("curation_home")),
    Call(R("curation_resources")),
    Call(R("curation_resource_create")),
    Call(R("curation_resource_create"), "post", data=lambda lib: resource_form("By request")),
    Call(R("curation_resource_edit"), target="resource"),
    Call(
        R("curation_resource_edit"),
        "post",
        "resource",
        lambda lib: resource_form("Changed by request"),
    ),
    Call(R("curation_resource_publication"), "post", "resource", lambda lib: {"status": "retired"}),
    Call(R("curation_lists")),
    Call(R("curation_list_create")),
    Call(R("curation_list_create"), "post", data=lambda lib: {"title": "New", "slug": "new"}),
    Call(R("curation_list_edit"), target="curated_list"),
    Call(
        R("curation_list_edit"),
        "post",
        "curated_list",
        lambda lib: {"title": "Renamed", "slug": "x"},
    ),
    Call(R("curation_list_publication"), "post", "curated_list", lambda lib: {"status": "retired"}),
    Call(R("curation_item_add"), "post", "curated_list", lambda lib: {"resource": lib.extra.pk}),
    Call(R("curation_item_move"), "post", "item", lambda lib: {"direction": "down"}),
    Call(R("curation_item_remove"), "post", "item"),
    Call(R("curation_events")),
    Call(R("curation_event_create")),
    Call(R("curation_event_create"), "post", data=lambda lib: event_form("By request")),
    Call(R("curation_event_edit"), target="event"),
    Call(R("curation_event_edit"), "post", "event", lambda lib: event_form("Changed")),
    Call(R("curation_event_publication"), "post", "event", lambda lib: {"status": "retired"}),
    Call(R("curation_suggestions")),
    Call(R("curation_suggestion_approve"), target="suggestion"),
    Call(
        R("curation_suggestion_approve"),
        "post",
        "suggestion",
        lambda lib: resource_form("Approved by request"),
    ),
    Call(
        R("curation_suggestion_decline"),
        "post",
        "others_suggestion",
        lambda lib: {"decline_reason": "Already covered."},
    ),
    Call(R("curation_import")),
    Call(
        R("curation_import"),
        "post",
        data=lambda lib: {"file": SimpleUploadedFile("new.csv", CSV_TEXT.encode())},
    ),
    Call(R("curation_import_confirm"), "post"),
    Call(R("curation_broken_links")),
    Call(R("curation_link_check"), "post", "resource"),
]

# A preview saves nothing until confirmed; "check again" only queues a check (see test_links).
CHANGE_NOTHING_YET = {R("curation_import"), R("curation_link_check")}


# --- Anonymous visitors ----------------------------------------------------------------------


@pytest.mark.parametrize("call", PUBLIC, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_the_library_and_events_are_open_to_everyone(call, role, library, client_for, user_for):
    response = call.send(client_for(user_for(role)), library)

    assert response.status_code == 200


@pytest.mark.parametrize("call", PERSONAL + CURATION, ids=str)
def test_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(call, library, client_for):
    before = snapshot()

    response = call.send(client_for(None), library)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


# --- Curation is for staff ---------------------------------------------------------------------


@pytest.mark.parametrize("call", CURATION, ids=str)
@pytest.mark.parametrize("role", NOT_STAFF)
def test_practitioners_and_leaders_cannot_curate(call, role, library, client_for, user_for):
    before = snapshot()

    response = call.send(client_for(user_for(role)), library)

    assert response.status_code == 403
    assert OTHERS_SUGGESTION not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("call", CURATION, ids=str)
def test_admin_curates(call, library, admin, client_for):
    client = client_for(admin)
    if call.name == R("curation_import_confirm"):  # something must be waiting to import
        client.post(
            reverse(R("curation_import")),
            {"file": SimpleUploadedFile("new.csv", CSV_TEXT.encode())},
        )
    before = snapshot()

    response = call.send(client, library)

    assert response.status_code in (200, 302)
    if call.method == "post" and call.name not in CHANGE_NOTHING_YET:
        assert snapshot() != before, "a curator's change was saved"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("role", SIGNED_IN)
def test_staff_links_appear_only_for_staff(role, library, client_for, user_for):
    content = client_for(user_for(role)).get(reverse(R("resource_list"))).content.decode()

    assert (reverse(R("curation_home")) in content) == (role == "admin")


# --- Personal pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("call", PERSONAL, ids=str)
@pytest.mark.parametrize("role", SIGNED_IN)
def test_signed_in_users_use_the_personal_pages(call, role, library, client_for, user_for):
    response = call.send(client_for(user_for(role)), library)

    assert response.status_code in (200, 302)


@pytest.mark.parametrize("role", SIGNED_IN)
def test_suggestions_are_seen_only_by_their_author(role, library, client_for, user_for):
    user = user_for(role)

    response = client_for(user).get(reverse(R("suggestion_list")))

    listed = list(response.context["suggestions"])
    assert {s.owner for s in listed} <= {user}
    content = response.content.decode()
    assert (MY_SUGGESTION in content) == (user == library.suggestion.owner)
    assert OTHERS_SUGGESTION not in content


def test_staff_see_every_suggestion_in_the_queue(library, admin, client_for):
    content = client_for(admin).get(reverse(R("curation_suggestions"))).content.decode()

    assert MY_SUGGESTION in content
    assert OTHERS_SUGGESTION in content


def test_a_suggestion_is_made_the_suggesters_own(library, programme_leader, client_for):
    data = {"url": "https://example.org/leaders-pick", "reason": "Good for ASYE."}

    client_for(programme_leader).post(reverse(R("suggestion_create")), data)

    assert Suggestion.objects.get(url=data["url"]).owner == programme_leader


@pytest.mark.parametrize("role", NOT_STAFF)
def test_reading_lists_are_private(role, library, practitioner, client_for, user_for):
    ReadingListEntry.objects.create(owner=practitioner, resource=library.second)
    user = user_for(role)

    response = client_for(user).get(reverse(R("reading_list")))

    saved = [entry.resource for entry in response.context["entries"]]
    assert saved == ([library.second] if user == practitioner else [])


@pytest.mark.parametrize("role", NOT_STAFF)
def test_a_resource_page_lists_only_the_viewers_own_entries(
    role, library, practitioner, client_for, user_for
):
    make_entry(practitioner, title="Alex read CareSpace", resource=library.resource)
    user = user_for(role)

    response = client_for(user).get(library.resource.get_absolute_url())

    entries = list(response.context["my_entries"])
    assert [a.owner for a in entries] == ([practitioner] if user == practitioner else [])
    assert ("Alex read CareSpace" in response.content.decode()) == (user == practitioner)


def test_saving_and_unsaving_touch_only_the_users_own_list(
    library, practitioner, other_practitioner, client_for
):
    ReadingListEntry.objects.create(owner=other_practitioner, resource=library.resource)
    client = client_for(practitioner)
    url = reverse(R("resource_save"), args=[library.resource.pk])

    client.post(url, {"saved": "1"})
    client.post(url, {"saved": "1"})
    assert ReadingListEntry.objects.filter(resource=library.resource).count() == 2

    client.post(url, {"saved": "0"})
    assert list(ReadingListEntry.objects.values_list("owner", flat=True)) == [other_practitioner.pk]


# --- What is not published is not found ---------------------------------------------------------


def test_retired_lists_and_events_are_not_found(library, practitioner, client_for):
    library.curated_list.status = library.event.status = "retired"
    library.curated_list.save()
    library.event.save()
    client = client_for(practitioner)

    for url in [
        library.curated_list.get_absolute_url(),
        library.event.get_absolute_url(),
        reverse(R("event_ics"), args=[library.event.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_retired_resource_keeps_its_page_but_leaves_the_library(
    library, practitioner, client_for
):
    library.resource.status = "retired"
    library.resource.save()
    client = client_for(practitioner)

    page = client.get(library.resource.get_absolute_url())
    listed = client.get(reverse(R("resource_list"))).context["page"].object_list
    saved = client.post(reverse(R("resource_save"), args=[library.resource.pk]), {"saved": "1"})

    assert page.status_code == 200
    assert "Retired from the library" in page.content.decode()
    assert library.resource not in listed
    assert saved.status_code == 404
