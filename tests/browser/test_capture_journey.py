"""Quick capture in a real browser: the bookmarklet on someone else's page opens a capture card
filled in, saved as a draft in one tap; a capture made offline waits on the device, survives a
reload, and is sent once when the connection returns; axe checks the capture pages."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from portfolio.models import ActivityType, Entry, Platform, Status
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations, field
from tests.browser.test_resources_journey import log_in
from tests.factories import make_user

pytestmark = pytest.mark.browser

BLOG_POST = "https://blog.example.org/2026/03/why-recording-matters/"
BLOG_TITLE = "Why recording matters"


def test_the_bookmarklet_logs_the_page_it_is_used_on(page: Page, live_server):
    make_user("sam@example.org")
    log_in(page, "sam@example.org")
    page.goto("/capture/")
    link = page.get_by_role("link", name="Log this page")
    bookmarklet = link.get_attribute("href")
    assert bookmarklet.startswith("javascript:")
    # Clicked here rather than dragged to the bookmarks bar, it says what it is for, and runs
    # nothing that the portal's Content-Security-Policy would refuse.
    link.click()
    expect(page.locator("#bookmarklet-hint")).to_contain_text("Drag this button")

    # Someone else's page, served by the browser itself: the bookmark runs there.
    page.route(
        f"{BLOG_POST}**",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f"<!doctype html><title>{BLOG_TITLE}</title><p>A post about records.</p>",
        ),
    )
    page.goto(BLOG_POST)
    with page.context.expect_page() as opened:
        # What the browser does with a javascript: bookmark: decode it and run it.
        page.evaluate(unquote(bookmarklet.removeprefix("javascript:")))
    form = opened.value
    form.wait_for_load_state()

    assert form.url.startswith(f"{live_server.url}/capture/link/?url=")
    expect(form.get_by_role("heading", level=1)).to_have_text("Capture this link")
    expect(field(form, "Title")).to_have_value(BLOG_TITLE)
    expect(field(form, "Link")).to_have_value(BLOG_POST)
    expect(field(form, "Type")).to_have_value(ActivityType.BLOG_READ)
    assert_no_serious_axe_violations(form, "the capture card")

    # The full form is one tap away, filled in the same.
    form.get_by_role("link", name="Add reflections now: open the full form").click()
    expect(form.get_by_role("heading", level=1)).to_have_text("Log an activity")
    expect(field(form, "Title")).to_have_value(BLOG_TITLE)
    expect(field(form, "Platform")).to_have_value(Platform.BLOG)
    form.go_back()

    form.get_by_role("button", name="Save as draft").click()
    expect(form.get_by_role("heading", level=1)).to_have_text("Saved as a draft")
    assert_no_serious_axe_violations(form, "the saved capture")
    draft = Entry.objects.get()
    assert (draft.title, draft.url, draft.status) == (BLOG_TITLE, BLOG_POST, Status.DRAFT)
    assert draft.platform == Platform.BLOG


def test_a_capture_made_offline_is_sent_once_when_back_online(page: Page, live_server):
    user = make_user("sam@example.org")
    log_in(page, user.email)
    page.goto("/capture/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick capture")
    assert_no_serious_axe_violations(page, "the quick-capture page")
    # Installed, active and in charge of this page: from here on it can answer offline.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    status = page.locator("#capture-status")
    expect(status).to_have_text("Nothing is waiting on this device.")

    page.context.set_offline(True)
    field(page, "Title").fill("Thread on capacity at night")
    field(page, "Link").fill("https://mastodon.social/@amhp/112233445566778899")
    field(page, "Time spent").fill("15m")
    field(page, "A quick note").fill("Ask what time of day suits the person.")
    page.get_by_role("button", name="Save as a draft").click()

    expect(status).to_have_text(
        "Saved on this device: it will be sent when you are back online (1 waiting)."
    )
    expect(page.locator("#capture-waiting > li")).to_have_count(1)
    expect(page.locator("#capture-waiting")).to_contain_text("Thread on capacity at night")
    expect(field(page, "Title")).to_have_value("")  # ready for the next one
    assert not Entry.objects.exists()

    # The page itself comes from the service worker, and the capture is still waiting.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick capture")
    expect(status).to_contain_text("(1 waiting)")
    assert not Entry.objects.exists()

    # A link shared from the phone with no connection opens the kept page, filled in from it.
    page.goto(
        "/capture/link/?title=Capacity+at+night"
        "&text=Worth+a+read+https%3A%2F%2Fexample.org%2Fcapacity"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick capture")
    expect(field(page, "Link")).to_have_value("https://example.org/capacity")
    expect(field(page, "Title")).to_have_value("Capacity at night")
    page.goto("/capture/")

    # Chromium fires "online" as the connection returns; that alone sends the capture.
    page.context.set_offline(False)
    expect(status).to_have_text("Nothing is waiting on this device.")
    sent = page.locator("#capture-sent li")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text("Sent “Thread on capacity at night” as a draft.")

    draft = Entry.objects.get()
    assert (draft.owner, draft.status, draft.client_id is not None) == (user, Status.DRAFT, True)
    assert (draft.platform, draft.duration_minutes) == (Platform.MASTODON, 15)
    assert draft.what_happened == "Ask what time of day suits the person."

    page.reload()
    expect(status).to_have_text("Nothing is waiting on this device.")
    expect(page.locator("#capture-waiting > li")).to_have_count(0)
    assert Entry.objects.count() == 1

    # The prompt to reflect, on the dashboard.
    page.goto("/dashboard/")
    page.get_by_role("link", name=re.compile("^Add your reflection")).click()
    expect(page).to_have_url(re.compile(rf"/activities/{draft.pk}/edit/$"))
    expect(field(page, "Title")).to_have_value("Thread on capacity at night")


def test_a_capture_the_portal_refuses_waits_with_its_reasons(page: Page, live_server):
    make_user("sam@example.org")
    log_in(page, "sam@example.org")
    page.goto("/capture/")
    field(page, "Title").fill("Dated in the last century")
    field(page, "Date").fill("1999-12-31")
    page.get_by_role("button", name="Save as a draft").click()

    expect(page.locator("#capture-waiting")).to_contain_text(
        "Date: 31 December 1999 is before 2000: check the year."
    )
    expect(page.locator("#capture-status")).to_have_text(
        "1 capture needs changes before it can be sent."
    )
    assert not Entry.objects.exists()

    page.get_by_role("button", name=re.compile("^Correct it")).click()
    expect(field(page, "Title")).to_have_value("Dated in the last century")
    field(page, "Date").fill("2025-12-31")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("#capture-sent li")).to_contain_text("Dated in the last century")
    assert Entry.objects.get().occurred_on.isoformat() == "2025-12-31"
