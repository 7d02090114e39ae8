"""A peer discussion confirmed by the colleague it was with, in a real browser: the practitioner
asks from her entry; the colleague, signed out on a phone, follows the emailed link, sees only
the discussion, and confirms it with name, role and registration number; the practitioner sees
the confirmation on the entry and counted on the dashboard; editing the discussion afterwards
marks the confirmation as one of an earlier version."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_evidence_pack_journey import sign_in
from tests.browser.test_invitation_journey import (
    PHONE,
    assert_fits_the_width,
    assert_no_axe_violations,
    emails_kept_unsent,  # noqa: F401 (a fixture)
    link_in_owed_email,
)
from tests.browser.test_practitioner_journey import field
from tests.factories import make_entry

pytestmark = pytest.mark.browser

COLLEAGUE = "sam.colleague@example.net"
CONFIRM_LINK = re.compile(r"https?://\S+/confirm/\S+/")
PEER_TEXT = "We talked through the threshold for a strategy discussion and agreed to ask sooner."
PRIVATE = "PRIVATEREFLECTION about my own uncertainty"


def test_a_colleague_confirms_a_peer_discussion(
    page: Page,
    new_context,
    live_server,
    settings,
    practitioner,
    emails_kept_unsent,  # noqa: F811
):
    settings.SITE_URL = live_server.url
    entry = make_entry(
        practitioner,
        title="Supervision on thresholds",
        occurred_on=timezone.localdate(),
        what_learned=PRIVATE,
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning=PEER_TEXT,
    )
    sign_in(page, practitioner, live_server)

    # --- The practitioner asks her colleague ----------------------------------------------------
    page.goto(entry.get_absolute_url())
    page.get_by_text("Ask your colleague to confirm this discussion").click()
    field(page, "Your colleague's email address").fill(COLLEAGUE.upper())
    field(page, "A short note to them").fill("Thanks for Tuesday's supervision")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text(f"We emailed {COLLEAGUE} a link")
    expect(page.locator(".peer-requests")).to_contain_text("waiting for an answer")

    # --- The colleague, signed out, on a phone ------------------------------------------------
    link = link_in_owed_email("peer_confirmation", COLLEAGUE, CONFIRM_LINK)
    colleague = new_context(locale="en-GB", timezone_id="Europe/London", viewport=PHONE).new_page()
    colleague.goto(link)
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Confirm a discussion you had")
    expect(colleague.locator(".peer-discussion")).to_contain_text(PEER_TEXT)
    expect(colleague.locator("main")).not_to_contain_text("PRIVATEREFLECTION")
    assert_fits_the_width(colleague, "the colleague's page")
    assert_no_axe_violations(colleague, "the colleague's page")

    field(colleague, "The email address this link was sent to").fill("someone.else@example.net")
    field(colleague, "Your name").fill("Sam Colleague")
    field(colleague, "Your role").fill("Team manager")
    field(colleague, "Your registration number (optional)").fill("sw123987")
    colleague.get_by_label("This is a fair account of our discussion").check()
    colleague.get_by_role("button", name="Send my answer").click()
    expect(colleague.get_by_role("alert")).to_contain_text("not the address this link was sent to")
    assert_fits_the_width(colleague, "the colleague's page with an error")
    assert_no_axe_violations(colleague, "the colleague's page with an error")

    field(colleague, "The email address this link was sent to").fill(COLLEAGUE)
    colleague.get_by_role("button", name="Send my answer").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Thank you")
    colleague.goto(link)
    expect(colleague.get_by_role("alert")).to_contain_text("already been used")

    # --- The practitioner sees it on the entry and the dashboard ------------------------------
    page.goto(entry.get_absolute_url())
    answer = page.locator(".peer-answer")
    expect(answer).to_contain_text("Sam Colleague confirmed")
    expect(answer).to_contain_text("Team manager · registration number SW123987")
    expect(answer).not_to_contain_text("earlier version")
    page.goto("/dashboard/")
    expect(page.locator(".stats")).to_contain_text("1 peer discussion confirmed by a colleague")

    # --- She edits the discussion: the confirmation is of an earlier version --------------------
    page.goto(entry.get_absolute_url())
    page.get_by_role("button", name="Edit").click()
    field(page, "What we discussed and what I learned from it").fill(PEER_TEXT + " And more.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator(".peer-answer")).to_contain_text(
        "Confirmed an earlier version of this discussion"
    )
    page.goto("/dashboard/")
    expect(page.locator(".stats")).to_contain_text("0 peer discussions confirmed by a colleague")
