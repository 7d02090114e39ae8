"""Deleting an account in a real browser: from the profile, through re-authentication, to the
page that says what happens, the confirmation, and out; the address no longer logs in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations, field
from tests.browser.test_resources_journey import log_in
from tests.factories import PASSWORD, make_entry, make_user

pytestmark = pytest.mark.browser

EMAIL = "leaving@example.org"


def test_account_deletion_journey(page: Page, live_server):
    make_entry(make_user(EMAIL))
    log_in(page, EMAIL)

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Delete my account").click()
    field(page, "Password").fill(PASSWORD)  # allauth's re-authentication
    page.get_by_role("main").get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    expect(page.get_by_text("cannot be undone")).to_be_visible()
    assert_no_serious_axe_violations(page, "the account deletion page")
    field(page, "Type your email address to confirm").fill(EMAIL)
    page.get_by_role("button", name="Delete my account and everything in it").click()

    expect(page.get_by_text("have been deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not User.objects.filter(email=EMAIL).exists()
    page.goto("/accounts/login/")
    field(page, "Email").fill(EMAIL)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.get_by_text("not correct")).to_be_visible()
