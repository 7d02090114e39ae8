"""On a phone the navigation is one row to swipe; nothing in it may widen the page, whatever it
shows (issue 15 is rebuilding it; this holds the line meanwhile)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from programmes.models import Notification, NotificationKind
from tests.browser.test_evidence_pack_journey import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_unread_notifications_do_not_widen_a_phone_page(page: Page, live_server, practitioner):
    Notification.objects.create(
        user=practitioner, kind=NotificationKind.COMMENT, text="A comment on your entry.", url="/"
    )
    sign_in(page, practitioner, live_server)
    page.set_viewport_size(PHONE)

    page.goto("/dashboard/")

    assert page.locator(".nav-notifications .count").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
