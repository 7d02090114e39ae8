"""Download everything, on a phone-sized screen, with a real Celery worker: ask for the file on
the profile, watch it being prepared, download it; with axe checking the page."""

from __future__ import annotations

import hashlib
import re
import time
import zipfile

import pytest
from playwright.sync_api import Page, expect

from account_data.models import AccountExport
from tests.browser.test_evidence_pack_journey import sign_in
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations
from tests.factories import make_entry, make_user

pytestmark = pytest.mark.browser

BUILD_SECONDS = 60
PHONE = {"width": 390, "height": 844}


def test_download_everything_from_the_profile_on_a_phone(
    page: Page, live_server, celery_worker, settings, tmp_path
):
    user = make_user("keeping@example.org", display_name="Kim Keeping")
    for n in range(3):
        make_entry(user, title=f"Read a thread on supervision ({n})")
    # Slow enough to see the bar; the worker thread reads the same settings.
    settings.EXPORT_STEP_DELAY_SECONDS = 0.4
    page.set_viewport_size(PHONE)
    sign_in(page, user, live_server)

    page.goto("/accounts/profile/")
    section = page.get_by_role("region", name="Download everything")
    section.get_by_role("button", name="Prepare my file").click()

    expect(page).to_have_url(re.compile(r"/accounts/profile/#download-everything$"))
    expect(section.get_by_label(re.compile(r"^Preparing your file: \d+%$"))).to_be_visible()
    download_link = section.get_by_role("button", name="Download everything (ZIP)")
    deadline = time.monotonic() + BUILD_SECONDS
    while not download_link.is_visible():
        if time.monotonic() > deadline:
            states = list(AccountExport.objects.values_list("state", "progress", "error"))
            pytest.fail(f"The export was not ready in {BUILD_SECONDS}s: {states}")
        page.wait_for_timeout(250)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_serious_axe_violations(page, "the profile with a finished export")

    with page.expect_download() as download_info:
        download_link.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    account_export = AccountExport.objects.for_user(user).get()
    assert saved.name.startswith("cpd-portal-account-")
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == account_export.sha256
    with zipfile.ZipFile(saved) as archive:
        assert b"Read a thread on supervision (2)" in archive.read("account.json")
