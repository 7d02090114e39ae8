"""Capture in three interactions from every route, on a phone (390x844).

For each way a link reaches the portal (the bookmarklet's address, the web app's share
target as the manifest declares it, and the quick-capture page typed into), a signed-in
practitioner's interactions are counted until a draft is saved: a click, a fill (typing or
pasting a value) and a key press count one each; the navigation the route itself makes (the
bookmark opening its tab, the Share menu opening the app) counts none. Each route must take
at most three, and no page on the way may scroll sideways. The count and the time from the
route's navigation to the saved draft are printed (measured, not asserted: the machine's
load decides the time).

A bare link's title is fetched in the background by a real Celery worker, from a page served
on 127.0.0.1 (standing in for a public site): the draft is saved first, with the link as its
title, and the page's title replaces it afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from portfolio.models import ActivityType, Entry, Status
from tests.browser.test_practitioner_journey import field as labelled
from tests.browser.test_resources_journey import log_in
from tests.factories import make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MAX_INTERACTIONS = 3
BLOG_POST = "https://blog.example.org/2026/03/why-recording-matters/"
BLOG_TITLE = "Why recording matters"
ARTICLE_TITLE = "Capacity at night: what AMHPs told us"


@dataclass
class Interactions:
    """The user's interactions with the page, counted as they are made."""

    page: Page
    made: list[str] = field(default_factory=list)
    started: float = 0.0

    def arrive(self, url: str) -> None:
        """The route's own navigation: not an interaction. The clock starts here."""
        self.started = time.monotonic()
        self.page.goto(url)
        self.no_sideways_scroll()

    def click(self, target: Locator, what: str) -> None:
        self.made.append(f"click {what}")
        target.click()

    def fill(self, target: Locator, value: str, what: str) -> None:
        self.made.append(f"fill {what}")
        target.fill(value)

    def press(self, target: Locator, key: str) -> None:
        self.made.append(f"press {key}")
        target.press(key)

    def no_sideways_scroll(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{self.page.url} scrolls sideways ({width} px)"

    def report(self, route: str) -> None:
        seconds = time.monotonic() - self.started
        print(
            f"\ncapture route {route!r}: {len(self.made)} interaction(s) to a saved draft, "
            f"{seconds:.2f}s from the route's navigation ({'; '.join(self.made)})"
        )
        assert len(self.made) <= MAX_INTERACTIONS, self.made


class ArticleHandler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = f"<!doctype html><title>{ARTICLE_TITLE} | Community Care</title>".encode()
        if self.path != "/2026/01/capacity-at-night/":
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def article_url(settings) -> Iterator[str]:
    """A page with a title, on 127.0.0.1, which the title fetch may reach in this test."""
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), ArticleHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/2026/01/capacity-at-night/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def phone(page: Page) -> Page:
    make_user("sam@example.org")
    page.set_viewport_size(PHONE)
    log_in(page, "sam@example.org")  # before the route: not counted
    return page


def saved_draft(**lookup) -> Entry:
    """The draft the route saved, waiting a moment for the request that saves it."""
    for _ in range(50):
        draft = Entry.objects.filter(status=Status.DRAFT, **lookup).first()
        if draft:
            return draft
        time.sleep(0.1)
    raise AssertionError(f"no draft saved with {lookup}")


def wait_for_title(draft: Entry, title: str) -> None:
    for _ in range(100):
        draft.refresh_from_db()
        if draft.title == title:
            return
        time.sleep(0.1)
    raise AssertionError(f"the title stayed {draft.title!r}")


def test_the_bookmarklet_saves_a_draft_in_one_tap(phone: Page):
    steps = Interactions(phone)
    steps.arrive(f"{reverse('capture:link')}?{urlencode({'url': BLOG_POST, 'title': BLOG_TITLE})}")
    expect(labelled(phone, "Title")).to_have_value(BLOG_TITLE)
    expect(labelled(phone, "Type")).to_have_value(ActivityType.BLOG_READ)
    save = phone.get_by_role("button", name="Save as draft")
    expect(save).to_be_in_viewport()  # on the first screen, no scrolling to find it
    expect(
        phone.get_by_role("link", name="Add reflections now: open the full form")
    ).to_be_visible()

    steps.click(save, "Save as draft")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Saved as a draft")
    draft = saved_draft(url=BLOG_POST)
    steps.report("bookmarklet")
    steps.no_sideways_scroll()
    assert (draft.title, draft.activity_type) == (BLOG_TITLE, ActivityType.BLOG_READ)

    # The reflection, one tap from the saved draft.
    phone.get_by_role("button", name="Add reflections now").click()
    expect(labelled(phone, "Title")).to_have_value(BLOG_TITLE)
    assert phone.url.endswith(reverse("portfolio:entry_edit", args=[draft.pk]))


def test_the_share_target_saves_a_draft_in_one_tap(phone: Page, article_url, celery_worker):
    manifest = phone.request.get(reverse("capture:manifest")).json()
    share = manifest["share_target"]
    assert share["method"] == "GET"
    params = share["params"]

    # As Chrome on Android shares a page: its title, and the link inside the text.
    shared = {params["title"]: "Capacity at night", params["text"]: f"Worth a read {article_url}"}
    steps = Interactions(phone)
    steps.arrive(f"{share['action']}?{urlencode(shared)}")
    expect(labelled(phone, "Link")).to_have_value(article_url)
    steps.click(phone.get_by_role("button", name="Save as draft"), "Save as draft")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Saved as a draft")
    draft = saved_draft(url=article_url)
    steps.report("share target (title and text)")
    assert draft.title == "Capacity at night", "the shared title is kept, never replaced"

    # Shared as the link alone: saved at once with the link as its title; the page's own
    # title arrives from the worker.
    Entry.objects.all().delete()
    steps = Interactions(phone)
    steps.arrive(f"{share['action']}?{urlencode({params['url']: article_url})}")
    expect(labelled(phone, "Title")).to_have_value("")
    steps.click(phone.get_by_role("button", name="Save as draft"), "Save as draft")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Saved as a draft")
    draft = saved_draft(url=article_url)
    steps.report("share target (link only)")
    steps.no_sideways_scroll()
    wait_for_title(draft, f"{ARTICLE_TITLE} | Community Care")


def test_typed_capture_saves_a_draft_from_a_pasted_link(phone: Page, article_url, celery_worker):
    steps = Interactions(phone)
    steps.arrive(reverse("capture:capture"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Quick capture")
    steps.fill(labelled(phone, "Link"), article_url, "Link (pasted)")
    steps.click(phone.get_by_role("button", name="Save as a draft"), "Save as a draft")
    expect(phone.locator("#capture-sent li")).to_contain_text(f"Sent “{article_url}” as a draft.")
    draft = saved_draft(url=article_url)
    steps.report("/capture/ typed")
    steps.no_sideways_scroll()
    wait_for_title(draft, f"{ARTICLE_TITLE} | Community Care")

    # From the keyboard: paste, then Enter.
    steps = Interactions(phone)
    steps.arrive(reverse("capture:capture"))
    link = labelled(phone, "Link")
    steps.fill(link, article_url, "Link (pasted)")
    steps.press(link, "Enter")
    expect(phone.locator("#capture-sent li")).to_contain_text(f"Sent “{article_url}” as a draft.")
    steps.report("/capture/ typed, saved with Enter")
    assert Entry.objects.filter(url=article_url).count() == 2
