"""A signed-off year's credential, end to end: the leader signs off; the student downloads her
credential from the submission page; someone signed out, on a phone, pastes it into the public
verify page, which says it is valid and what it asserts; the leader revokes the sign-off, and
the same credential then verifies as revoked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from core.cpd_year import cpd_year_containing
from programmes.cohorts import create_programme
from programmes.models import Cohort, Membership
from programmes.submissions import submit
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations
from tests.browser.test_programme_journey import log_in, status_message
from tests.factories import make_entry, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
STATEMENT = "A thoughtful year, with clear evidence of changed practice."
REASON = "Signed off in error: the year is still being reviewed."


def check_on_the_verify_page(verifier: Page, credential: str) -> None:
    verifier.goto("/credentials/verify/")
    verifier.get_by_label("Paste the credential").fill(credential)
    verifier.get_by_role("button", name="Check the credential").click()


def test_credential_journey(page: Page, new_context, live_server, settings):
    settings.SITE_URL = live_server.url
    year = cpd_year_containing(timezone.localdate())
    leader_user = make_user(
        "leader@example.org", role=Role.PROGRAMME_LEADER, display_name="Dr Sam Patel"
    )
    student_user = make_user("alex@example.org", display_name="Alex Morgan")
    make_entry(
        student_user,
        title="Group supervision on thresholds",
        occurred_on=timezone.localdate(),
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning="We compared how each of us decides when to escalate.",
    )
    make_entry(student_user, title="Webinar on the Mental Capacity Act")
    programme = create_programme(
        name="Advanced practice MSc",
        description="",
        created_by=leader_user,
        institution="University of Example",
        institution_url="https://www.example.ac.uk/",
    )
    cohort = Cohort.objects.create(programme=programme, name="2026 intake")
    membership = Membership.objects.create(cohort=cohort, student=student_user)
    submission_url = submit(membership, year).get_absolute_url()

    # --- The leader signs off ----------------------------------------------------------------
    leader = page
    leader.goto("/accounts/login/")
    log_in(leader, "leader@example.org")
    leader.goto(submission_url)
    leader.get_by_text("Sign off…").click()
    expect(leader.locator("details.sign-off")).to_contain_text(
        "verifiable credential of it, issued by University of Example"
    )
    leader.get_by_role("textbox", name="Statement").fill(STATEMENT)
    leader.get_by_label(re.compile(r"I confirm that I have reviewed version 1")).check()
    leader.get_by_role("button", name="Sign off version 1").click()
    expect(status_message(leader)).to_have_text("Signed off: the student has been told.")
    expect(leader.locator("#credential")).to_contain_text("A credential of this sign-off")

    # --- The student downloads her credential ----------------------------------------------
    student = new_context(
        locale="en-GB", timezone_id="Europe/London", accept_downloads=True
    ).new_page()
    student.goto("/accounts/login/")
    log_in(student, "alex@example.org")
    student.goto(submission_url)
    with student.expect_download() as download_info:
        student.get_by_role("link", name="Download your credential").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".jwt")
    credential = Path(download.path()).read_text()
    assert credential.count(".") == 2

    # --- Someone signed out, on a phone, verifies it ---------------------------------------
    verifier = new_context(locale="en-GB", timezone_id="Europe/London", viewport=PHONE).new_page()
    check_on_the_verify_page(verifier, credential)
    expect(verifier.get_by_role("status")).to_contain_text("Valid.")
    asserted = verifier.get_by_role("article", name="What the credential asserts")
    for fact in (
        "University of Example",
        "Alex Morgan",
        f"CPD year {year.label} signed off: Advanced practice MSc",
        "Dr Sam Patel",
        STATEMENT,
    ):
        expect(asserted).to_contain_text(fact)
    assert verifier.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_serious_axe_violations(verifier, "the verify page with a valid credential")

    # --- The leader revokes the sign-off; the credential now verifies as revoked -----------
    leader.goto(submission_url)
    leader.get_by_text("Revoke this sign-off…").click()
    leader.get_by_label("Why you revoke the sign-off").fill(REASON)
    leader.get_by_role("button", name="Revoke the sign-off").click()
    expect(status_message(leader)).to_contain_text("Sign-off revoked")
    expect(leader.locator("section.signoff")).to_contain_text(REASON)

    check_on_the_verify_page(verifier, credential)
    expect(verifier.get_by_role("alert")).to_contain_text("Revoked.")
    expect(verifier.get_by_role("alert")).to_contain_text(REASON)
    assert verifier.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    student.goto(submission_url)
    expect(student.locator("section.signoff")).to_contain_text("Sign-off revoked")
    expect(student.get_by_role("link", name="Download your credential")).to_have_count(0)
