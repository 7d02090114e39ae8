"""The library's list, search and resource pages keep their content in the cache
(core/fragments.py), each viewer her own (the cards' save buttons post) and one copy for
everyone signed out. Whatever changes what they show, the next request shows it: each test
reads the pages (so they are cached), makes one kind of change as curators, the link checker
or the practitioner make it, then compares each page with the same page built from scratch."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from portfolio.models import Capability
from resources.curation import add_to_list, remove_from_list, save_resource, set_publication
from resources.link_check import LinkCheck, record_link_check
from resources.models import Publication, ReadingListEntry, Recurrence, Resource, ResourceTag
from resources.reading_list import set_saved
from tests.cached_pages import CACHED_SECONDS, assert_served_as_built, page_content
from tests.clock import london_moment
from tests.factories import make_entry
from tests.resources.factories import make_event, make_list, make_resource

LIBRARY = reverse("resources:resource_list")
PAGES = [LIBRARY, f"{LIBRARY}?q=supervision", f"{LIBRARY}?kind=blog", f"{LIBRARY}?page=2"]


def _read_all(client: Client) -> dict[str, str]:
    pages = {url: page_content(client.get(url)) for url in [*PAGES, *_resource_pages()]}
    for url in (LIBRARY, PAGES[1]):  # the results alone, as htmx asks for them
        pages[f"{url} (htmx)"] = page_content(client.get(url, headers={"HX-Request": "true"}))
    return pages


def assert_pages_are_current(clients: list[Client], settings) -> None:
    for client in clients:
        assert_served_as_built(lambda client=client: _read_all(client), settings)


def _resource_pages() -> list[str]:
    """The first resource's page (the one every change below touches) and the last's."""
    first, last = Resource.objects.order_by("pk")[:1].get(), Resource.objects.latest("pk")
    return [reverse("resources:resource_detail", args=[r.pk]) for r in (first, last)]


@pytest.fixture
def library(db):
    tag = ResourceTag.objects.create(name="supervision")
    return [
        make_resource(title=f"Supervision guide {n}", tags=[tag] if n % 2 else [])
        for n in range(25)
    ]


@pytest.fixture
def clients(library, practitioner, client_for, settings) -> list[Client]:
    settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS
    clients = [client_for(practitioner), Client()]
    for client in clients:
        _read_all(client)  # cached before the change
    return clients


def test_an_unchanged_library_comes_from_the_cache(clients, django_assert_max_num_queries):
    for url in PAGES:
        # What every page reads: the session, its user and her unread notifications.
        with django_assert_max_num_queries(3):
            clients[0].get(url)
        with django_assert_max_num_queries(0):
            clients[1].get(url)
    for url in _resource_pages():  # and the resource's title, which also says it exists
        with django_assert_max_num_queries(4):
            clients[0].get(url)
        with django_assert_max_num_queries(1):
            clients[1].get(url)


def test_curators_changes_show_at_once(
    clients, library, settings, django_capture_on_commit_callbacks
):
    resource = library[-1]
    with django_capture_on_commit_callbacks(execute=True):
        resource.title = "A supervision guide, renamed"
        save_resource(resource, capabilities=[Capability.objects.get(code="PCF5")], tag_names=[])
    assert "A supervision guide, renamed" in page_content(clients[1].get(LIBRARY))
    assert_pages_are_current(clients, settings)

    with django_capture_on_commit_callbacks(execute=True):
        set_publication(library[-2], Publication.RETIRED)
    assert_pages_are_current(clients, settings)

    with django_capture_on_commit_callbacks(execute=True):
        ResourceTag.objects.filter(name="supervision").update(name="unused")  # nothing saved
        tag = ResourceTag.objects.get(name="unused")
        tag.name = "reflective supervision"
        tag.save()
    assert "reflective supervision" in page_content(clients[0].get(f"{LIBRARY}?kind=blog"))
    assert_pages_are_current(clients, settings)

    with django_capture_on_commit_callbacks(execute=True):
        curated = make_list(title="Where to start with supervision", resources=library[:2])
    assert "Where to start with supervision" in page_content(clients[0].get(LIBRARY))
    assert_pages_are_current(clients, settings)

    with django_capture_on_commit_callbacks(execute=True):
        add_to_list(curated, library[-1], "The newest.")
        remove_from_list(curated.items.get(resource=library[0]))
    assert_pages_are_current(clients, settings)


def test_her_entries_about_a_resource_show_at_once(clients, library, practitioner, settings):
    make_entry(practitioner, title="Read the first guide", resource=library[0])
    assert "Read the first guide" in page_content(clients[0].get(_resource_pages()[0]))
    assert_pages_are_current(clients, settings)


def test_a_broken_link_shows_at_once(
    clients, library, settings, django_capture_on_commit_callbacks
):
    resource, now = library[-1], timezone.now()
    for _ in range(settings.LINK_CHECK_FAILURES_BEFORE_BROKEN):
        resource.link_checked_at = None  # each failure counted, not taken for a repeat
        with django_capture_on_commit_callbacks(execute=True):
            record_link_check(resource, LinkCheck(False, "The server answered 404.", 404), now)
    assert "Link may be broken" in page_content(clients[1].get(LIBRARY))
    assert_pages_are_current(clients, settings)


def test_saving_for_later_shows_at_once_and_only_to_her(clients, library, practitioner, settings):
    set_saved(practitioner, library[-1], True)
    assert "Saved · remove" in page_content(clients[0].get(LIBRARY))
    assert "Saved · remove" not in page_content(clients[1].get(LIBRARY))
    assert_pages_are_current(clients, settings)


def test_renaming_a_capability_shows_at_once(
    clients, library, settings, django_capture_on_commit_callbacks
):
    capability = Capability.objects.get(code="PCF5")
    with django_capture_on_commit_callbacks(execute=True):
        library[-1].capabilities.set([capability])
    with django_capture_on_commit_callbacks(execute=True):
        capability.name = "Professional curiosity"
        capability.save()
    assert 'title="Professional curiosity"' in page_content(clients[1].get(LIBRARY))
    assert_pages_are_current(clients, settings)


def test_a_cached_save_button_still_saves_after_she_logs_in_again(
    clients, library, practitioner, settings
):
    """Its form carries a CSRF token; a login makes a new secret, and a new page with it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    html = client.get(LIBRARY).content.decode()
    client.logout()
    client.force_login(practitioner)
    html = client.get(LIBRARY).content.decode()
    action, token = re.search(
        r'<form method="post" action="([^"]+/save/)" class="inline-form save-form".*?'
        r'name="csrfmiddlewaretoken" '
        r'value="([^"]+)"',
        html,
        re.S,
    ).groups()
    response = client.post(action, {"saved": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    saved = resolve(action).kwargs["pk"]
    assert ReadingListEntry.objects.filter(owner=practitioner, resource=saved).exists()


def test_the_comparison_can_fail(clients, library, settings):
    """Control: a change made behind the models' backs (as no code of the portal makes one)
    leaves the cached pages as they were, and the comparison says so."""
    type(library[-1]).objects.filter(pk=library[-1].pk).update(title="Renamed behind its back")
    with pytest.raises(AssertionError):
        assert_pages_are_current(clients, settings)


class EventPages:
    """A weekly chat's page, signed in and out, cached as it is read."""

    def __init__(self, event, clients: list[Client], settings) -> None:
        self.url, self.clients, self.settings = event.get_absolute_url(), clients, settings

    def read(self, client: Client) -> dict[str, str]:
        return {self.url: page_content(client.get(self.url))}

    def assert_current(self) -> None:
        for client in self.clients:
            assert_served_as_built(lambda client=client: self.read(client), self.settings)


# Half an hour before a weekly chat, whose last session was a week ago; and an hour after it.
BEFORE_THE_CHAT, AFTER_THE_CHAT = "2027-05-12T10:30", "2027-05-12T12:30"


@pytest.fixture
def weekly_chat(db):
    return make_event(
        title="#SWSCmedia chat",
        start=london_moment("2027-05-05T11:00"),
        minutes=60,
        recurrence=Recurrence.WEEKLY,
    )


@pytest.fixture
def event_pages(weekly_chat, clients, settings) -> EventPages:
    pages = EventPages(weekly_chat, clients, settings)
    for client in clients:
        pages.read(client)  # cached before the change
    return pages


@pytest.mark.time_machine(london_moment(BEFORE_THE_CHAT))
def test_an_event_page_follows_its_sessions_as_the_day_goes_on(event_pages, time_machine):
    before = event_pages.read(event_pages.clients[0])
    time_machine.move_to(london_moment(AFTER_THE_CHAT))  # the same day: a session is over
    assert event_pages.read(event_pages.clients[0]) != before
    event_pages.assert_current()


@pytest.mark.time_machine(london_moment(BEFORE_THE_CHAT))
def test_an_edited_event_and_taking_part_show_at_once(
    event_pages, weekly_chat, practitioner, django_capture_on_commit_callbacks
):
    weekly_chat.description = "Now with a guest host from the BASW."
    with django_capture_on_commit_callbacks(execute=True):
        weekly_chat.save()
    assert "guest host" in event_pages.read(event_pages.clients[1])[event_pages.url]
    event_pages.assert_current()

    client = event_pages.clients[0]
    (session,) = client.get(event_pages.url).context["recent"][:1]
    took_part = reverse("resources:event_took_part", args=[weekly_chat.pk])
    assert client.post(took_part, {"session": session.start.isoformat()}).status_code == 302
    event_pages.assert_current()
