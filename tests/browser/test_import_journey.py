"""A practitioner bringing in what she has already done, end to end in a real browser with a real
Celery worker: upload her X archive, watch it stage, untick one proposal, edit another, import
the rest and find them in her log; then the same with her blog's feed; with axe checking the
import page and the review."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from imports.models import ImportBatch
from portfolio.models import Entry, Status
from tests.browser.test_evidence_pack_journey import sign_in
from tests.browser.test_practitioner_journey import IMPACT_LABEL, assert_no_serious_axe_violations
from tests.factories import make_user
from tests.imports.staged import BLOG_FEED, tweet, x_archive

pytestmark = pytest.mark.browser

STAGE_SECONDS = 60


def field(page: Page, label: str):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def upload(page: Page, source: str, path) -> None:
    page.goto("/imports/")
    page.get_by_role("radio", name=source).check()
    field(page, "File").set_input_files(path)
    page.get_by_role("button", name="Upload and review").click()


def wait_for_review(page: Page) -> None:
    """Until the progress bar gives way to the review (the page reloads itself)."""
    review = page.get_by_role("heading", name="Choose what to import")
    deadline = time.monotonic() + STAGE_SECONDS
    while not review.is_visible():
        if time.monotonic() > deadline:
            states = list(ImportBatch.objects.values_list("state", "progress", "step", "error"))
            pytest.fail(f"The import was not staged in {STAGE_SECONDS}s: {states}")
        page.wait_for_timeout(250)


def test_import_an_x_archive_and_a_blog_feed(page: Page, live_server, celery_worker, tmp_path):
    user = make_user("importing@example.org", display_name="Ira Importing")
    sign_in(page, user, live_server)
    archive = tmp_path / "twitter-2026-03-12.zip"
    archive.write_bytes(x_archive([tweet(1), tweet(2), tweet(3)]))

    # --- The import page, from the log --------------------------------------------------------
    page.goto("/activities/")
    page.get_by_role("link", name="Import entries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import entries")
    assert_no_serious_axe_violations(page, "the import page")

    # --- Upload the X archive and review it ---------------------------------------------------
    upload(page, "X/Twitter archive", archive)
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    wait_for_review(page)
    counts = page.locator("#import-counts")
    expect(counts).to_have_text("3 to import.")
    assert_no_serious_axe_violations(page, "the review of an import")

    batch = ImportBatch.objects.for_user(user).get()
    unticked, edited, kept = batch.entries.order_by("position")
    page.get_by_role("checkbox", name=unticked.title).uncheck()
    expect(counts).to_have_text("2 to import, 1 left out.")

    page.get_by_role("link", name=f"Edit “{edited.title}”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit before importing")
    assert_no_serious_axe_violations(page, "editing a proposed entry")
    field(page, "Title").fill("Strengths-based practice, read on Community Care")
    field(page, "Time spent").fill("25m")
    field(page, "What happened?").fill("Read an article a colleague shared on X.")
    field(page, "What did I learn?").fill("Strengths-based questions open up the conversation.")
    field(page, IMPACT_LABEL).fill("I will ask what is working well before I ask about risk.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved your changes")
    expect(page.get_by_role("checkbox", name=unticked.title)).not_to_be_checked()

    page.get_by_role("button", name="Import the ticked entries").click()
    expect(page.get_by_role("heading", name="Imported 2 entries")).to_be_visible()
    # The confirm form is boosted: the address and the message still follow the redirect.
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.get_by_text("Imported 2 entries into your log.")).to_be_visible()

    page.get_by_role("link", name="See them in your log").click()
    log = page.locator("#results")
    expect(
        log.get_by_role("link", name="Strengths-based practice, read on Community Care")
    ).to_be_visible()
    expect(log.get_by_role("link", name=kept.title)).to_be_visible()
    expect(log.get_by_role("link", name=unticked.title)).to_have_count(0)
    imported = Entry.objects.for_user(user)
    assert {(a.title, a.status) for a in imported} == {
        ("Strengths-based practice, read on Community Care", Status.COMPLETE),
        (kept.title, Status.DRAFT),
    }

    # --- The same archive again proposes nothing new --------------------------------------------
    upload(page, "X/Twitter archive", archive)
    wait_for_review(page)
    expect(counts).to_have_text("1 to import, 2 already in your log.")
    page.get_by_role("button", name="Discard this import").click()
    expect(page.get_by_role("status").first).to_have_text(
        "Discarded the import: nothing from it was kept."
    )

    # --- A blog's feed, saved as a file -------------------------------------------------------
    feed = tmp_path / "feed.rss"
    feed.write_text(BLOG_FEED)
    upload(page, "Blog feed (RSS or Atom)", feed)
    wait_for_review(page)
    expect(counts).to_have_text("2 to import.")
    page.get_by_role("button", name="Import the ticked entries").click()
    expect(page.get_by_role("heading", name="Imported 2 entries")).to_be_visible()
    assert set(
        Entry.objects.for_user(user)
        .filter(activity_type="blog_written")
        .values_list("title", flat=True)
    ) == {"Hearing the child's own words", "Supervision that starts with what went well"}
