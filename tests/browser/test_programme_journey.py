"""A programme's review cycle, end to end in two real browsers and a real Celery worker.

A leader creates a programme and a cohort and invites a student by email; the student, signed
out, follows the link, logs in, comes back, shares her current CPD year and submits it; the
leader comments on an entry and asks for changes; the student edits the entry and resubmits;
the leader, who reached the submission from its status on the overview (which cleared its
notification), signs off after confirming the declaration the page shows; the student sees the
sign-off on her dashboard. axe checks the overview
and the review page, and screenshots of both are kept for a human eye.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from core.cpd_year import cpd_year_containing
from portfolio.models import Entry
from programmes.models import SignOff, Snapshot, SubmissionStatus
from tests.browser.test_mfa_journey import enter_authenticator_code_if_enrolled
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations, wait_for_mail
from tests.factories import PASSWORD, make_entry, make_user

pytestmark = pytest.mark.browser

STUDENT_EMAIL = "alex@example.org"
FIRST_TITLE = "Group supervision on thresholds"
SECOND_TITLE = "Webinar on the Mental Capacity Act"
EDITED_TITLE = "Webinar on the Mental Capacity Act: supported decision-making"
COMMENT = "Say more about what changed for the people you assess."
CHANGES = "Please add what you will do differently after the webinar."
STATEMENT = "A thoughtful year, with clear evidence of changed practice."
INVITE_LINK = re.compile(r"https?://\S+/invitations/\S+/")


def log_in(page: Page, email: str) -> None:
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    enter_authenticator_code_if_enrolled(page, email)


def status_message(page: Page):
    return page.locator(".messages [role=status]")


def test_programme_review_journey(
    page: Page, new_context, live_server, celery_worker, mailoutbox, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    year = cpd_year_containing(timezone.localdate())
    make_user("leader@example.org", role=Role.PROGRAMME_LEADER, display_name="Dr Sam Patel")
    student_user = make_user(STUDENT_EMAIL, display_name="Alex Morgan")
    make_entry(
        student_user,
        title=FIRST_TITLE,
        occurred_on=timezone.localdate(),
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning="We compared how each of us decides when to escalate.",
    )
    webinar = make_entry(student_user, title=SECOND_TITLE, occurred_on=timezone.localdate())

    # --- The leader sets up a programme and a cohort, and invites the student -------------
    leader = page
    leader.goto("/accounts/login/")
    log_in(leader, "leader@example.org")
    leader.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    leader.get_by_role("button", name="New programme").click()
    leader.get_by_label("Name").fill("Advanced practice MSc")
    leader.get_by_role("button", name="Create programme").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Advanced practice MSc")
    leader.get_by_label("Cohort name").fill("2026 intake")
    leader.get_by_role("button", name="Add cohort").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("2026 intake")
    cohort_url = leader.url

    leader.get_by_label("Students' email addresses").fill(STUDENT_EMAIL)
    leader.get_by_role("button", name="Send invitations").click()
    expect(leader.locator(".invitation-report")).to_contain_text(f"{STUDENT_EMAIL}: invited")
    leader.get_by_text("Invitations sent (1)").click()  # the list arrives as it opens
    expect(leader.locator("#invitations tbody tr")).to_contain_text(STUDENT_EMAIL)
    wait_for_mail(mailoutbox, 1)
    (invitation_email,) = [m for m in mailoutbox if m.to == [STUDENT_EMAIL]]
    link = INVITE_LINK.search(invitation_email.body)[0]
    assert link.startswith(live_server.url)

    # --- The student, signed out, follows the link, logs in, comes back and joins ----------
    student = new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    student.goto(link)
    expect(student.get_by_role("heading", level=1)).to_have_text("Join 2026 intake")
    student.get_by_role("main").get_by_role("button", name="I already have an account").click()
    log_in(student, STUDENT_EMAIL)
    expect(student).to_have_url(link)
    expect(student.get_by_label(f"CPD year {year.label} only")).to_be_checked()
    student.get_by_role("button", name="Join and share").click()
    expect(status_message(student)).to_contain_text("You joined Advanced practice MSc: 2026 intake")

    # --- ... and submits her current year ------------------------------------------------
    student.get_by_label("CPD year to submit").select_option(label=year.label)
    student.get_by_role("button", name="Submit for review").click()
    expect(student.get_by_role("heading", level=1)).to_have_text(
        f"Your submission: CPD year {year.label}"
    )
    expect(student.locator(".status")).to_have_text("In review")
    submission_url = student.url

    # --- The leader reads the overview and the submission, comments, asks for changes -----
    leader.goto(cohort_url)
    row = leader.locator("table.overview tbody tr").filter(has_text="Alex Morgan")
    expect(row).to_have_count(1)
    expect(row.locator("td.number").first).to_have_text("2")
    expect(row.locator(".status-met")).to_have_text("Met")
    # The status is the link to her submission, named for whose it is.
    status_link = row.get_by_role("link", name="In review (submission of Alex Morgan)")
    expect(status_link).to_be_visible()
    leader_nav = leader.get_by_role("navigation", name="Main")
    expect(leader_nav.locator(".count")).to_contain_text("1")  # "Alex Morgan submitted"
    leader.screenshot(path=tmp_path / "cohort-overview.png", full_page=True)
    print(f"\nCohort overview screenshot: {tmp_path / 'cohort-overview.png'}")
    assert_no_serious_axe_violations(leader, "the cohort overview")

    status_link.click()
    expect(leader).to_have_url(submission_url)
    expect(leader.get_by_role("heading", level=1)).to_have_text(
        f"Alex Morgan: CPD year {year.label}"
    )
    # Opening the submission cleared its notification.
    expect(leader_nav.locator(".count")).to_have_count(0)
    entry = leader.locator("details.entry").filter(has_text=SECOND_TITLE)
    entry.locator("summary").first.click()
    entry.get_by_text("Comment on this entry").click()
    entry.get_by_label(f"Your comment on “{SECOND_TITLE}”").fill(COMMENT)
    entry.get_by_role("button", name="Add comment").click()
    expect(status_message(leader)).to_have_text("Comment added.")
    commented = leader.locator("details.entry").filter(has_text=SECOND_TITLE)
    expect(commented).to_have_attribute("open", "")
    expect(commented.locator(".thread")).to_contain_text(COMMENT)
    leader.screenshot(path=tmp_path / "review.png", full_page=True)
    print(f"Review screenshot: {tmp_path / 'review.png'}")
    assert_no_serious_axe_violations(leader, "the review page")

    leader.get_by_label("What needs to change").fill(CHANGES)
    leader.get_by_role("button", name="Request changes").click()
    expect(status_message(leader)).to_have_text("Changes requested: the student has been told.")
    expect(leader.locator("hgroup .status")).to_have_text("Changes requested")

    # --- The student reads the comment, edits the entry and resubmits --------------------
    student.goto("/notifications/")
    # The comment and the decision arrive as one row about her submission.
    about_it = student.locator("ul.notifications li").filter(has_text="Your CPD year")
    expect(about_it).to_have_count(1)
    expect(about_it).to_contain_text("asked for changes")
    student.get_by_role(
        "link", name=f"Your CPD year {year.label}: 1 new comment, 1 new decision"
    ).click()
    expect(student).to_have_url(submission_url)
    expect(student.locator(".thread").filter(has_text=COMMENT)).to_be_visible()
    expect(student.locator("#comments")).to_contain_text(CHANGES)
    student.locator("details.entry").filter(has_text=SECOND_TITLE).get_by_role(
        "link", name="Edit this entry in your log"
    ).click()
    student.get_by_label(re.compile(r"^\s*Title:?\s*$")).fill(EDITED_TITLE)
    student.get_by_role("button", name="Save entry").click()
    expect(student.get_by_role("heading", level=1)).to_have_text(EDITED_TITLE)

    student.goto(submission_url)
    student.get_by_label("What did you change?").fill("Retitled the webinar entry.")
    student.get_by_role("button", name="Resubmit for review").click()
    expect(status_message(student)).to_contain_text("Resubmitted")
    expect(student.locator("hgroup")).to_contain_text("version 2 of 2")
    expect(student.locator("details.entry").filter(has_text=EDITED_TITLE)).to_have_count(1)
    first, second = Snapshot.objects.order_by("number")
    assert SECOND_TITLE in first.entries.values_list("title", flat=True)
    assert EDITED_TITLE in second.entries.values_list("title", flat=True)
    webinar.refresh_from_db()
    assert webinar.title == EDITED_TITLE

    # --- The leader signs off version 2 ---------------------------------------------------
    leader.goto(submission_url)
    expect(leader.locator("aside.note")).to_contain_text("Retitled the webinar entry.")
    expect(leader_nav.locator(".count")).to_have_count(0)  # "resubmitted", read by opening
    leader.get_by_text("Sign off…").click()
    expect(leader.get_by_label("Name")).to_have_value("Dr Sam Patel")
    leader.get_by_role("textbox", name="Statement").fill(STATEMENT)
    # Not confirmed: refused by the server, with what was typed kept.
    leader.get_by_role("button", name="Sign off version 2").click()
    expect(leader.get_by_text("Tick this box to confirm the sign-off.")).to_be_visible()
    expect(leader.get_by_role("textbox", name="Statement")).to_have_value(STATEMENT)
    assert not SignOff.objects.exists()
    declaration = leader.get_by_label(
        re.compile(r"I confirm that I have reviewed version 2 of Alex Morgan’s CPD year")
    )
    declaration.check()
    leader.get_by_role("button", name="Sign off version 2").click()
    expect(status_message(leader)).to_have_text("Signed off: the student has been told.")
    expect(leader.locator("section.signoff")).to_contain_text(STATEMENT)
    signoff = SignOff.objects.get()
    assert (signoff.snapshot.number, signoff.submission.status) == (2, SubmissionStatus.SIGNED_OFF)

    # --- The student sees the sign-off on her dashboard ------------------------------------
    student.goto("/dashboard/")
    signoffs = student.get_by_role("region", name="Signed off")
    expect(signoffs).to_contain_text(STATEMENT)
    expect(signoffs).to_contain_text(
        f"Dr Sam Patel, Programme leader, Advanced practice MSc, {timezone.localdate():%-d %B %Y}"
    )
    nav = student.get_by_role("navigation", name="Main")
    expect(nav.locator(".count")).to_contain_text("unread")
    assert Entry.objects.filter(owner=student_user).count() == 2
    wait_for_mail(mailoutbox, 6)  # the invitation, and one each: submitted, commented,
    # changes requested, resubmitted, signed off; sent by the worker to the other side.
    assert sorted(m.to[0] for m in mailoutbox).count(STUDENT_EMAIL) == 4
