"""Confidentiality warnings appear right under the field being typed in (issue 15), at desktop
and phone widths, and the entry still saves with the warning repeated."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portfolio.models import Entry
from tests.browser.test_evidence_pack_journey import sign_in
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations, field

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TYPED = "Met Mrs Jones at 14 Acacia Road"
# How far below the bottom of the field the warning may start: its help text sits between.
MOST_PIXELS_BELOW = 150


def assert_warning_directly_below(page: Page, label: str, warning_id: str) -> None:
    box = field(page, label).bounding_box()
    warning = page.locator(f"#{warning_id} .field-warning")
    expect(warning).to_contain_text("Name with a title “Mrs Jones”")
    expect(warning).to_contain_text("house number and street “14 Acacia Road”")
    below = warning.bounding_box()
    gap = below["y"] - (box["y"] + box["height"])
    assert 0 <= gap <= MOST_PIXELS_BELOW, f"the warning starts {gap:.0f} px below the field"
    assert below["x"] < box["x"] + box["width"] and box["x"] < below["x"] + below["width"]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_warning_appears_under_the_field_being_typed_in(
    page: Page, live_server, practitioner, viewport
):
    sign_in(page, practitioner, live_server)
    page.set_viewport_size(viewport)
    page.goto("/activities/new/")
    expect(page.locator(".field-warning")).to_have_count(0)

    field(page, "What happened?").press_sequentially(TYPED, delay=20)

    assert_warning_directly_below(page, "What happened?", "id_what_happened_confidentiality")
    # Only that field is warned about; leaving another field with a name warns there too.
    expect(page.locator(".field-warning")).to_have_count(1)
    field(page, "What did I learn?").fill("John Smith's story stayed with me.")
    field(page, "Title").click()  # leaving the field checks it at once
    expect(page.locator("#id_what_learned_confidentiality .field-warning")).to_contain_text(
        "Person's full name “John Smith”"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    width = viewport["width"]
    assert_no_serious_axe_violations(page, f"the activity form with warnings at {width}")

    # Editing the name out clears the warning.
    field(page, "What happened?").fill("Met a carer at her home")
    field(page, "Title").click()
    expect(page.locator("#id_what_happened_confidentiality .field-warning")).to_have_count(0)


def test_a_name_warns_but_the_entry_saves_and_the_warning_is_repeated(
    page: Page, live_server, practitioner
):
    sign_in(page, practitioner, live_server)
    page.goto("/activities/new/")
    field(page, "Title").fill("Home visit reflection")
    field(page, "Type").select_option(label="Live chat joined")
    field(page, "Time spent").fill("1h")
    field(page, "What happened?").fill(TYPED)

    page.get_by_role("button", name="Save as draft").click()

    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(page.get_by_role("status").filter(has_text="Check that")).to_contain_text(
        "name with a title “Mrs Jones” in What happened?"
    )
    assert Entry.objects.get(owner=practitioner).what_happened == TYPED
