"""A practitioner in Northern Ireland, on a phone: she chooses her regulator and date on the
profile, her dashboard counts hours against 90 and Professional in Practice credits, she
confirms her learning plan on the regulator page and the dashboard's item turns met; then she
moves to Wales, and every entry is still in her log."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.periods import add_months
from tests.browser.test_evidence_pack_journey import sign_in
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations, field
from tests.factories import make_entry, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NISCC = "Northern Ireland Social Care Council"
TITLES = [f"Family support workshop, day {n}" for n in (1, 2, 3)]


def assert_fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_choosing_niscc_confirming_the_plan_then_moving_to_wales(page: Page, live_server):
    today = timezone.localdate()
    user = make_user("niamh@example.org", display_name="Niamh Quinn")
    for title in TITLES:  # 2 hours each, with a reflection and its impact: 3 credits an hour
        make_entry(user, title=title, occurred_on=today, duration_minutes=120)
    page.set_viewport_size(PHONE)
    sign_in(page, user, live_server)

    page.goto("/accounts/profile/")
    field(page, "Regulator").select_option(label=f"{NISCC} (Northern Ireland)")
    field(page, "Date of first registration").fill(add_months(today, -14).isoformat())
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    panel = page.get_by_role("region", name=f"{NISCC} checklist")
    expect(panel).to_contain_text("6h of 90h of training and learning")
    expect(panel.locator("progress#regulator-hours")).to_have_attribute("value", "360")
    expect(panel).to_contain_text("18 Professional in Practice credits")
    expect(panel).to_contain_text(f"Not confirmed on {NISCC}'s own pages")
    plan = panel.locator("li", has_text="A learning and development plan agreed")
    expect(plan).to_have_class("unmet")
    assert_fits_the_phone(page)
    assert_no_serious_axe_violations(page, "the dashboard under NISCC")

    plan.get_by_role("link", name="Confirm it").click()
    expect(page).to_have_url(re.compile(r"/regulator/#confirm-learning_plan$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your regulator: {NISCC}")
    assert_fits_the_phone(page)
    assert_no_serious_axe_violations(page, "the regulator page")
    page.get_by_role("button", name="Confirm: A learning and development plan").click()
    expect(page.locator("#confirm-learning_plan")).to_contain_text("Confirmed on")

    page.goto("/dashboard/")
    panel = page.get_by_role("region", name=f"{NISCC} checklist")
    expect(panel.locator("li", has_text="A learning and development plan agreed")).to_have_class(
        "met"
    )

    page.goto("/accounts/profile/")
    field(page, "Regulator").select_option(label="Social Care Wales (Wales)")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("region", name="Social Care Wales checklist")).to_contain_text(
        "3 complete entries in your record."
    )
    assert_fits_the_phone(page)

    page.goto("/activities/")
    for title in TITLES:
        expect(page.get_by_role("link", name=title)).to_be_visible()
