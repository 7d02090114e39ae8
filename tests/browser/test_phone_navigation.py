"""On a phone the navigation is a bar at the bottom with a menu for the rest; nothing in it may
widen the page, whatever it shows. My log's filters fold away on a phone. (Every page of every
role is swept in test_every_page.py.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from programmes.models import Notification, NotificationKind
from tests.browser.test_evidence_pack_journey import sign_in
from tests.factories import make_entry

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(tempfile.gettempdir())  # nav-*.png, to look at


def test_unread_notifications_do_not_widen_a_phone_page(page: Page, live_server, practitioner):
    Notification.objects.create(
        user=practitioner, kind=NotificationKind.COMMENT, text="A comment on your entry.", url="/"
    )
    sign_in(page, practitioner, live_server)
    page.set_viewport_size(PHONE)

    page.goto("/dashboard/")

    assert page.locator(".nav-notifications .count").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_phone_menu_opens_from_the_keyboard_and_names_the_current_page(
    page: Page, live_server, practitioner
):
    sign_in(page, practitioner, live_server)
    page.set_viewport_size(PHONE)
    page.goto("/summaries/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Profile")).to_be_hidden()

    page.locator("nav.phone-nav summary").focus()
    page.keyboard.press("Enter")

    for name in ("Log activity", "Evidence packs", "Events", "Programmes", "Profile"):
        expect(nav.get_by_role("link", name=name)).to_be_in_viewport(ratio=1)
    expect(nav.get_by_role("button", name="Log out")).to_be_in_viewport(ratio=1)
    expect(nav.get_by_role("link", name="Summaries")).to_have_attribute("aria-current", "page")
    # The bar never hides the end of the page: the body is padded by the bar's height.
    page.keyboard.press("Enter")
    bar_top = page.locator("nav.phone-nav").bounding_box()["y"]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer = page.locator("body > footer").bounding_box()
    assert footer["y"] + footer["height"] <= bar_top


def test_my_log_folds_its_filters_on_a_phone_and_lays_them_in_rows_on_a_desktop(
    page: Page, live_server, practitioner
):
    for n in range(3):
        make_entry(practitioner, title=f"Webinar on the Care Act, part {n}")
    sign_in(page, practitioner, live_server)
    page.set_viewport_size(PHONE)

    page.goto("/activities/?q=Care+Act&status=complete")

    summary = page.locator("details.log-filters > summary")
    expect(summary).to_have_text("Filter (2 active)")
    expect(page.get_by_label("Search")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / "nav-practitioner-390-log-filtered.png")
    first_entry = page.locator("#results article").first
    expect(first_entry).to_be_in_viewport(ratio=1)
    bar_top = page.locator("nav.phone-nav").bounding_box()["y"]
    entry = first_entry.bounding_box()
    assert entry["y"] + entry["height"] <= bar_top  # above the bar: on the first screen
    summary.click()
    expect(page.get_by_label("Search")).to_have_value("Care Act")
    page.get_by_label("Search").fill("")  # filtering in place: the count follows
    expect(summary).to_have_text("Filter (1 active)")
    expect(page.get_by_label("Search")).to_be_visible()  # still open

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/activities/")

    expect(page.get_by_label("Search")).to_be_visible()
    button = page.locator("details.log-filters").get_by_role("button", name="Filter", exact=True)
    box = button.bounding_box()
    assert box["height"] < 50 and box["width"] < 200  # a normal-size button, not a block
    tops = {round(page.get_by_label(label).bounding_box()["y"]) for label in ("Search", "Tag")}
    assert len(tops) == 1  # the first row: search, type, capability and tag side by side
