"""A practitioner preparing for renewal, end to end in a real browser with a real Celery worker:
generate a reflective summary, edit it, export an evidence pack, watch the progress bar finish,
download the pack, and verify it on its public page, the whole ZIP and its PDF alone; with axe
checking each page."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.cpd_year import cpd_year_containing
from packs.models import EvidencePack
from portfolio.models import ActivityType, Capability, Entry
from summaries.models import ReflectiveSummary
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations
from tests.factories import make_entry, make_user

pytestmark = pytest.mark.browser

BUILD_SECONDS = 60
EDITED = "I am an AMHP. My CPD this year centred on strengths-based supervision."


@pytest.fixture
def practitioner_with_a_year_of_cpd(db):
    user = make_user(
        "renewing@example.org", display_name="Robin Renewing", registration_number="SW654321"
    )
    year = cpd_year_containing(timezone.localdate())
    pcf6 = Capability.objects.get(code="PCF6")
    make_entry(
        user,
        title="#SWSCmedia chat on strengths-based supervision",
        activity_type=ActivityType.LIVE_CHAT,
        occurred_on=year.start,
        what_learned="Strengths-based supervision starts from what is working well.",
        capabilities=[pcf6],
    )
    make_entry(
        user,
        title="Supervision with my team manager",
        activity_type=ActivityType.PEER_DISCUSSION,
        occurred_on=min(year.start + dt.timedelta(days=40), timezone.localdate()),
        what_learned="Strengths-based supervision helps me record decisions clearly.",
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning="We agreed to try strengths-based supervision in the team.",
    )
    return user


def sign_in(page: Page, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_summary_evidence_pack_download_and_verify(
    page: Page, live_server, celery_worker, practitioner_with_a_year_of_cpd, settings, tmp_path
):
    user = practitioner_with_a_year_of_cpd
    # Slow enough to see the bar move; the worker thread reads the same settings.
    settings.EXPORT_STEP_DELAY_SECONDS = 0.4
    sign_in(page, user, live_server)

    # --- Generate a reflective summary ------------------------------------------------
    page.goto("/dashboard/")
    page.get_by_role("button", name="Write a reflective summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflective summaries")
    expect(page.get_by_role("radio", name=re.compile("^This CPD year"))).to_be_checked()
    assert_no_serious_axe_violations(page, "the summaries page")
    page.get_by_role("button", name="Generate summary").click()

    expect(page).to_have_url(re.compile(r"/summaries/\d+/$"))
    expect(page.get_by_role("heading", name="Your summary")).to_be_visible()
    summary_text = page.locator(".summary-text")
    expect(summary_text.get_by_role("heading", name="Summary of practice")).to_be_visible()
    expect(summary_text).to_contain_text("Strengths-based supervision starts from what is")
    expect(
        summary_text.get_by_role("link", name="Supervision with my team manager")
    ).to_be_visible()
    themes = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("themes"))
    )
    expect(themes).to_contain_text("strengths-based supervision")
    page.screenshot(path=tmp_path / "summary.png", full_page=True)
    print(f"\nSummary screenshot: {tmp_path / 'summary.png'}")
    assert_no_serious_axe_violations(page, "a generated summary")

    # --- Edit it -------------------------------------------------------------------------
    page.get_by_role("button", name="Edit the text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your summary")
    assert_no_serious_axe_violations(page, "the summary editor")
    page.get_by_label(re.compile("^Summary")).fill(EDITED)
    page.get_by_role("button", name="Save summary").click()
    expect(page.get_by_role("status")).to_have_text("Saved version 1 of your summary.")
    expect(page.locator(".summary-text")).to_have_text(EDITED)
    assert ReflectiveSummary.objects.for_user(user).get().text == EDITED + "\n"

    # --- Export a pack and watch it build -----------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence packs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence packs")
    assert_no_serious_axe_violations(page, "the evidence packs page")
    # The entries to choose from arrive when the list is opened.
    choices = page.locator("#entry-choices")
    expect(choices.get_by_role("checkbox")).to_have_count(0)
    page.get_by_text(re.compile(r"^Choose entries \(\d+ complete\)$")).click()
    complete = Entry.objects.for_user(user).complete().count()
    expect(choices.get_by_role("checkbox")).to_have_count(complete)
    page.get_by_role("button", name="Build the pack").click()

    expect(page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    progress = page.get_by_label(re.compile(r"^Progress: \d+%$"))
    expect(progress).to_be_visible()
    seen = set()
    download_link = page.get_by_role("button", name="Download the pack (ZIP)")
    deadline = time.monotonic() + BUILD_SECONDS
    while not download_link.is_visible():
        if time.monotonic() > deadline:
            states = list(EvidencePack.objects.values_list("state", "progress", "step", "error"))
            pytest.fail(f"The pack was not ready in {BUILD_SECONDS}s: {states}")
        seen.add(int(progress.get_attribute("value")))
        page.wait_for_timeout(250)
    expect(progress).to_have_attribute("value", "100")
    assert any(0 < value < 100 for value in seen), seen
    page.screenshot(path=tmp_path / "evidence_pack.png", full_page=True)
    print(f"Export screenshot: {tmp_path / 'evidence_pack.png'}")
    assert_no_serious_axe_violations(page, "a finished evidence pack")

    evidence_pack = EvidencePack.objects.for_user(user).get()
    assert evidence_pack.entry_count == 2
    # The whole address, to give to whoever is sent the pack.
    expect(page.get_by_role("link", name=evidence_pack.verify_url())).to_be_visible()
    assert evidence_pack.verify_url().startswith(settings.SITE_URL + "/verify/")

    # --- Download it -------------------------------------------------------------------
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    pack = tmp_path / download.suggested_filename
    download.save_as(pack)
    assert download.suggested_filename.startswith("cpd-evidence-pack-")
    assert hashlib.sha256(pack.read_bytes()).hexdigest() == evidence_pack.sha256
    with zipfile.ZipFile(pack) as archive:
        assert {"portfolio.pdf", "renewal-sheet.pdf", "manifest.json"} <= set(archive.namelist())
        assert EDITED.encode() in archive.read("portfolio.json")

    # --- Verify it on the public page, signed out ------------------------------------------
    page.context.clear_cookies()
    page.goto(f"/verify/{evidence_pack.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify an evidence pack")
    expect(page.locator(".verify-facts")).to_contain_text("Robin Renewing")
    expect(page.locator(".verify-facts")).to_contain_text(evidence_pack.sha256)
    expect(page.get_by_text("SW654321")).to_have_count(0)
    to_check = page.get_by_label("The pack (ZIP), or any file from it, to check")
    to_check.set_input_files(pack)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("It matches.")
    expect(page.get_by_role("status")).to_contain_text("This is the evidence pack (ZIP)")
    assert_no_serious_axe_violations(page, "the verification page")

    # The PDF alone, as it is most often sent on, is recognised and named.
    pdf = tmp_path / "portfolio.pdf"
    with zipfile.ZipFile(pack) as archive:
        pdf.write_bytes(archive.read("portfolio.pdf"))
    to_check.set_input_files(pdf)
    page.get_by_role("button", name="Check the file").click()
    exported_on = f"{timezone.localtime(evidence_pack.created_at):%-d %B %Y}"
    expect(page.get_by_role("status")).to_have_text(
        f"It matches. This is portfolio.pdf from the evidence pack exported by Robin Renewing "
        f"on {exported_on}, unchanged."
    )
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=tmp_path / "verified_pdf.png", full_page=True)
    print(f"Verified PDF screenshot: {tmp_path / 'verified_pdf.png'}")
    assert_no_serious_axe_violations(page, "a PDF verified on its own")

    # A changed PDF is not.
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    to_check.set_input_files(pdf)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("It does not match.")
