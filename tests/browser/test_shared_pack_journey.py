"""A student shares a ready evidence pack with her programme's leaders and her leader downloads
it, in two real browsers; she sees the download on the pack's page and stops sharing. axe
checks both pages, and screenshots are kept for a human eye. The pack is stored directly, as
a worker leaves it: building one is the export journey's business."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from core.cpd_year import cpd_year_containing
from programmes.cohorts import create_programme
from programmes.models import Cohort, Membership
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations
from tests.browser.test_programme_journey import log_in, status_message
from tests.factories import make_user
from tests.programmes.test_shared_packs import PACK_BYTES, make_pack

pytestmark = pytest.mark.browser


def test_sharing_a_pack_with_the_leaders(page: Page, new_context, tmp_path):
    year = cpd_year_containing(timezone.localdate())
    leader_user = make_user(
        "leader@example.org", role=Role.PROGRAMME_LEADER, display_name="Dr Sam Patel"
    )
    student_user = make_user("alex@example.org", display_name="Alex Morgan")
    programme = create_programme(
        name="Advanced practice MSc", description="", created_by=leader_user
    )
    cohort = Cohort.objects.create(programme=programme, name="2026 intake")
    Membership.objects.create(cohort=cohort, student=student_user)
    pack = make_pack(student_user, year.start, year.end)

    # --- The student shares the pack from its page ------------------------------------------
    student = page
    student.goto("/accounts/login/")
    log_in(student, "alex@example.org")
    student.goto(pack.get_absolute_url())
    sharing = student.get_by_role("region", name="Share with your programme leaders")
    sharing.get_by_label("The leaders of Advanced practice MSc (2026 intake)").check()
    assert_no_serious_axe_violations(student, "the pack's page, before sharing")
    sharing.get_by_role("button", name="Share this pack").click()
    expect(status_message(student)).to_contain_text("Shared with the leaders of")

    # --- The leader finds it on the student's page and downloads it -------------------------
    leader = new_context(accept_downloads=True).new_page()
    leader.goto("/accounts/login/")
    log_in(leader, "leader@example.org")
    leader.goto("/notifications/")
    leader.get_by_role("link", name=re.compile("Alex Morgan shared an evidence pack")).click()
    packs = leader.get_by_role("region", name="Evidence packs shared with you")
    expect(packs.get_by_role("row")).to_have_count(2)  # the heading row and the pack
    assert_no_serious_axe_violations(leader, "the student's page, with a shared pack")
    leader.screenshot(path=str(tmp_path / "leader-packs.png"), full_page=True)
    with leader.expect_download() as download_info:
        packs.get_by_role("link", name=re.compile("Download")).click()
    assert download_info.value.suggested_filename.endswith(".zip")
    assert download_info.value.path().read_bytes() == PACK_BYTES

    # --- The student sees the download, and stops sharing ------------------------------------
    student.reload()
    expect(sharing.get_by_role("table")).to_contain_text("Downloaded an evidence pack")
    expect(sharing.get_by_role("table")).to_contain_text("Dr Sam Patel")
    student.screenshot(path=str(tmp_path / "student-pack.png"), full_page=True)
    sharing.get_by_role("button", name="Stop sharing with 2026 intake").click()
    expect(status_message(student)).to_contain_text("You no longer share this pack")

    leader.reload()
    expect(packs).to_contain_text("No evidence packs shared with you.")
