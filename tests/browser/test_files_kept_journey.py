"""Nothing chosen is lost (issue 15): a file chosen on the entry form, saved with a required
field empty, is still listed when the form comes back with its error, and is the entry's
evidence once the field is filled and the entry saved; on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portfolio.models import Entry, PendingEvidence
from tests.browser.test_evidence_pack_journey import sign_in
from tests.browser.test_practitioner_journey import (
    FIRST_ENTRY,
    PDF_BYTES,
    assert_no_serious_axe_violations,
    field,
    fill_entry,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# A name long enough to push a phone's page sideways if nothing lets it wrap.
FILE_NAME = "supervision-notes-for-the-strengths-based-practice-discussion-november.pdf"


def assert_no_sideways_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width} px wide on a {width} px screen"


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_chosen_file_survives_an_error_and_is_saved_with_the_entry(
    page: Page, live_server, practitioner, tmp_path, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    sign_in(page, practitioner, live_server)
    pdf = tmp_path / FILE_NAME
    pdf.write_bytes(PDF_BYTES)

    page.goto("/activities/new/")
    fill_entry(page, FIRST_ENTRY, "PCF6 Critical reflection and analysis")
    field(page, "Title").fill("")  # the one thing forgotten
    field(page, "Attach evidence").set_input_files(pdf)
    page.get_by_role("button", name="Save entry").click()

    # The error, and the file still there: listed, with a way to remove it.
    expect(page.locator("#form-problems")).to_contain_text("Title")
    held = page.locator("#held-files")
    expect(held).to_contain_text(FILE_NAME)
    expect(held.get_by_label(f"Remove {FILE_NAME}")).not_to_be_checked()
    assert not Entry.objects.exists()
    assert PendingEvidence.objects.for_user(practitioner).count() == 1
    if viewport:
        assert_no_sideways_scroll(page, viewport["width"])
    assert_no_serious_axe_violations(page, "the entry form with a file kept")

    field(page, "Title").fill(FIRST_ENTRY["title"])
    page.get_by_role("button", name="Save entry").click()

    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(page.get_by_role("link", name=re.compile(re.escape(FILE_NAME)))).to_be_visible()
    entry = Entry.objects.for_user(practitioner).get()
    assert entry.title == FIRST_ENTRY["title"]
    assert entry.occurred_on == timezone.localdate()
    assert [e.original_name for e in entry.evidence.all()] == [FILE_NAME]
    assert entry.evidence.get().file.read() == PDF_BYTES
    assert not PendingEvidence.objects.exists()
    if viewport:
        assert_no_sideways_scroll(page, viewport["width"])
