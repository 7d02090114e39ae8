"""A practitioner's first evening with the portal, end to end in a real browser.

Sign up, verify the email, fill the profile, log a Twitter chat with its reflection, a PCF
capability and a PDF, download the PDF again, read the dashboard, get warned about an NHS number
while typing, and log out; with axe checking the main pages on the way.
"""

from __future__ import annotations

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from portfolio.models import Entry, Status

pytestmark = pytest.mark.browser

EMAIL = "sam.social@example.org"
PASSWORD = "a-long-and-unusual-passphrase-42"
# The smallest file that filetype sniffs as a PDF; enough for the upload's content check.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONFIRM_LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/")
BLOCKING_IMPACTS = {"serious", "critical"}

FIRST_ENTRY = {
    "title": "#SWSCmedia chat on strengths-based supervision",
    "what_happened": "Joined the weekly #SWSCmedia chat about strengths-based supervision.",
    "what_learned": "Asking what is working well first changes the whole conversation.",
    "impact": "I will open my next supervision by asking what has gone well this week.",
}
SECOND_ENTRY = {
    "title": "#SWSCmedia chat on recording with care",
    "what_happened": "Read a post on careful recording; it quoted NHS number 943 476 5919.",
    "what_learned": "How easily an identifier slips into a reflective log.",
    "impact": "I will check every entry for identifying details before I save it.",
}
IMPACT_LABEL = (
    "What will I do differently, and what difference does it make to the people I work with?"
)
CONFIRM_LABEL = "I have checked: these details do not identify anyone who uses services."
CONFIDENTIALITY_ERROR = "Some details look as if they could identify a person"


def assert_no_serious_axe_violations(page: Page, where: str) -> None:
    results = Axe().run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    for v in violations:
        if v not in blocking:  # shown with -s, for whoever next polishes the templates
            print(f"axe on {where}: {v['id']} ({v['impact']}): {v['help']}")
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(f"    {node['target']}\n" for node in v["nodes"][:5])
        for v in blocking
    )
    assert not blocking, f"axe found serious or critical problems on {where}:\n{report}"


def field(page: Page, label: str):
    """The control labelled ``label``, with or without Django's label suffix (a colon)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def fill_entry(page: Page, entry: dict[str, str], capability: str) -> None:
    field(page, "Title").fill(entry["title"])
    field(page, "Type").select_option(label="Live chat joined")
    field(page, "Platform").select_option(label="X/Twitter")
    field(page, "Date").fill(timezone.localdate().isoformat())
    field(page, "Time spent").fill("1h")
    field(page, "Hashtag").fill("#SWSCmedia")
    field(page, "What happened?").fill(entry["what_happened"])
    field(page, "What did I learn?").fill(entry["what_learned"])
    field(page, IMPACT_LABEL).fill(entry["impact"])
    page.get_by_label(capability, exact=True).check()


def stat(page: Page, caption: str):
    """The big number of the dashboard tile whose text contains ``caption``."""
    return page.locator(".stats article").filter(has_text=caption).locator(".stat")


def wait_for_mail(outbox, count: int, timeout: float = 20) -> None:
    """Owed emails are sent by the worker (core/outbox.py): wait for them to arrive."""
    deadline = time.monotonic() + timeout
    while len(outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(outbox) >= count, f"expected {count} emails, got {len(outbox)}"


def test_practitioner_journey(
    page: Page, live_server, celery_worker, mailoutbox, tmp_path, settings
):
    settings.SITE_URL = live_server.url  # where the emailed links point
    # --- Sign up and verify the email address ---------------------------------------------
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your CPD, logged in seconds")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))

    field(page, "Your name").fill("Sam Social")
    field(page, "Email address").fill(EMAIL)
    field(page, "Choose a password").fill(PASSWORD)
    field(page, "Type the password again").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    user = User.objects.get(email=EMAIL)
    assert not user.emailaddress_set.get(email=EMAIL).verified

    wait_for_mail(mailoutbox, 1)  # owed, and sent by the worker (accounts/adapter.py)
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject.startswith("[CPD Portal] ")
    link = CONFIRM_LINK.search(message.body)
    assert link, f"No confirmation link in:\n{message.body}"
    assert link[0].startswith(live_server.url)

    page.goto(link[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.get_by_role("button", name="Confirm my address").click()

    # Logged in straight away, and asked for a profile.
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert user.emailaddress_set.get(email=EMAIL).verified

    # --- Profile -------------------------------------------------------------------------
    expect(field(page, "Your name")).to_have_value("Sam Social")  # given at sign-up
    field(page, "Registration number").fill("sw 123456")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    user.refresh_from_db()
    assert (user.display_name, user.registration_number) == ("Sam Social", "SW123456")

    # --- Log the first activity, with a reflection, a capability and a PDF -----------------
    page.get_by_role("button", name="Log activity").click()
    expect(page).to_have_url(re.compile(r"/activities/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an activity")
    fill_entry(page, FIRST_ENTRY, "PCF6 Critical reflection and analysis")
    pdf = tmp_path / "chat-certificate.pdf"
    pdf.write_bytes(PDF_BYTES)
    field(page, "Attach evidence").set_input_files(pdf)
    page.get_by_role("button", name="Save entry").click()

    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_ENTRY["title"])
    expect(page.locator("article header .badge").first).to_have_text("Complete")
    expect(page.locator(".entry-meta")).to_contain_text("1h")
    expect(page.locator(".entry-meta")).to_contain_text("X/Twitter")
    expect(page.locator(".entry-meta li").filter(has_text="SWSCmedia")).to_have_text("#SWSCmedia")
    expect(page.get_by_text("PCF: PCF6 Critical reflection and analysis")).to_be_visible()
    evidence_link = page.get_by_role("link", name="chat-certificate.pdf")
    expect(evidence_link).to_be_visible()

    with page.expect_download() as download_info:
        evidence_link.click()
    download = download_info.value
    assert download.suggested_filename == "chat-certificate.pdf"
    download.save_as(tmp_path / "downloaded.pdf")
    assert (tmp_path / "downloaded.pdf").read_bytes() == PDF_BYTES

    entry = Entry.objects.get(owner=user)
    assert (entry.status, entry.duration_minutes) == (Status.COMPLETE, 60)
    assert (entry.hashtag, entry.occurred_on) == ("SWSCmedia", timezone.localdate())

    # --- The dashboard counts it --------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(stat(page, "complete entry")).to_have_text("1")
    expect(stat(page, "of CPD")).to_have_text("1h")
    expect(stat(page, "for renewal")).to_have_text("Not yet")
    two_pieces = page.locator("ul.checklist li").filter(
        has_text="At least 2 different pieces of CPD"
    )
    expect(two_pieces).to_have_class("unmet")
    expect(two_pieces).to_contain_text("Not met:")
    expect(two_pieces).to_contain_text("1 complete, different entry this year.")
    pcf_heading = page.get_by_role("heading", name=re.compile("^Professional Capabilities"))
    expect(pcf_heading).to_contain_text("(1 of 9)")
    expect(page.locator("ul.coverage li.level-1").filter(has_text="PCF6")).to_have_count(1)
    expect(page.locator("ul.coverage li").filter(has_text="PCF5")).to_have_class("level-0")
    expect(page.locator("ul.coverage li.level-1")).to_have_count(1)

    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000
    print(f"\nDashboard screenshot: {screenshot}")
    assert_no_serious_axe_violations(page, "the dashboard")

    page.goto("/activities/")
    expect(page.locator("#results")).to_contain_text("1 entry")
    expect(page.locator("#results")).to_contain_text(FIRST_ENTRY["title"])
    assert_no_serious_axe_violations(page, "the log")
    # Filtering swaps the results in place through htmx: twice, and never nested.
    for text in ("no-such-entry", "SWSCmedia"):
        page.get_by_label("Search").fill(text)
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(rf"q={text}"))
    expect(page.locator("#results")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("1 entry")

    # --- A second entry, warned about an NHS number as it is typed ---------------------------
    page.goto("/activities/new/")
    expect(page.locator("#confidentiality [role=alert]")).to_have_count(0)
    assert_no_serious_axe_violations(page, "the empty activity form")

    fill_entry(page, SECOND_ENTRY, "PCF5 Knowledge")
    warning = page.locator("#confidentiality [role=alert]")
    expect(warning).to_contain_text("NHS number")
    expect(warning).to_contain_text("943 476 5919")
    expect(warning).to_contain_text("What happened?")

    page.get_by_role("button", name="Save entry").click()
    expect(page.locator("#form-problems")).to_contain_text(CONFIDENTIALITY_ERROR)
    expect(page).to_have_url(re.compile(r"/activities/new/$"))
    assert Entry.objects.filter(owner=user).count() == 1
    # Nothing typed is lost.
    expect(field(page, "Title")).to_have_value(SECOND_ENTRY["title"])
    expect(field(page, "What happened?")).to_have_value(SECOND_ENTRY["what_happened"])
    expect(field(page, "What did I learn?")).to_have_value(SECOND_ENTRY["what_learned"])
    expect(field(page, IMPACT_LABEL)).to_have_value(SECOND_ENTRY["impact"])
    expect(field(page, "Time spent")).to_have_value("1h")
    expect(field(page, "Hashtag")).to_have_value("#SWSCmedia")
    expect(field(page, "Type")).to_have_value("live_chat")
    expect(field(page, "Platform")).to_have_value("x")
    expect(field(page, "Date")).to_have_value(timezone.localdate().isoformat())
    expect(field(page, "PCF5 Knowledge")).to_be_checked()
    confirm = field(page, CONFIRM_LABEL)
    expect(confirm).not_to_be_checked()
    expect(confirm).to_have_attribute("aria-invalid", "true")
    assert_no_serious_axe_violations(page, "the activity form with errors")

    confirm.check()
    page.get_by_role("button", name="Save entry").click()
    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SECOND_ENTRY["title"])
    expect(page.get_by_role("status")).to_contain_text(f"Saved “{SECOND_ENTRY['title']}”.")
    assert Entry.objects.filter(owner=user, status=Status.COMPLETE).count() == 2

    page.goto("/dashboard/")
    expect(stat(page, "complete entries")).to_have_text("2")
    expect(two_pieces).to_have_class("met")

    # --- Log out ------------------------------------------------------------------------
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))
