"""The resource library end to end in a real browser.

A practitioner finds a resource by searching, logs it in one click, saves another for later,
says they took part in yesterday's chat and completes the draft, and suggests a resource. A
curator approves the suggestion, declines another and reorders a curated list; the
practitioner sees the outcome. axe checks the library, an event and the curation pages.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from portfolio.models import ActivityType, Capability, Entry, Status
from resources.models import (
    CuratedList,
    Publication,
    ReadingListEntry,
    Resource,
    Suggestion,
    SuggestionStatus,
)
from tests.browser.test_mfa_journey import enter_authenticator_code_if_enrolled
from tests.browser.test_practitioner_journey import (
    IMPACT_LABEL,
    assert_no_serious_axe_violations,
    field,
)
from tests.factories import PASSWORD, make_user
from tests.resources.factories import (
    LONDON,
    make_event,
    make_list,
    make_resource,
    make_suggestion,
)

pytestmark = pytest.mark.browser

SUGGESTED_URL = "https://www.nationalelfservice.net/mental-health/"
SCREENSHOTS = Path("/tmp/cpd-resources-screenshots")  # noqa: S108 - for a person to look at


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    field(page, "Email").fill(email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    enter_authenticator_code_if_enrolled(page, email)
    # Signed in: the log-out form is on the page (on a phone, inside the closed menu).
    expect(page.locator('form[action="/accounts/logout/"]').first).to_be_attached()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000
    print(f"\nScreenshot: {path}")


def library_data():
    pcf5, swe1 = Capability.objects.get(code="PCF5"), Capability.objects.get(code="SWE1")
    code = make_resource(
        title="Mental Capacity Act Code of Practice",
        kind="policy",
        url="https://www.gov.uk/government/publications/mental-capacity-act-code-of-practice",
        source="GOV.UK",
        platform="website",
        summary="The statutory guidance on the Mental Capacity Act 2005.",
        capabilities=[pcf5, swe1],
    )
    blog = make_resource(
        title="A frontline blog on supervision",
        summary="Includes a long aside on assessing capacity at night.",
        url="https://example.org/frontline-blog",
    )
    hub = make_resource(
        title="Knowledge Hub communities of practice",
        kind="community",
        url="https://khub.net/",
        source="Knowledge Hub",
    )
    make_list([hub, code, blog], title="Getting started with social media for CPD")
    yesterday = timezone.now().astimezone(LONDON) - dt.timedelta(days=1)
    chat = make_event(
        start=yesterday.replace(hour=20, minute=0, second=0, microsecond=0),
        title="#SWSCmedia chat",
        hashtag="SWSCmedia",
        platform="x",
        url="https://x.com/hashtag/SWSCmedia",
        recurrence="weekly",
    )
    return code, hub, chat


def test_library_journey(page: Page, live_server):
    practitioner = make_user("sam@example.org", display_name="Sam Social")
    curator = make_user("curator@example.org", role=Role.ADMIN, display_name="Cara Curator")
    code, hub, chat = library_data()
    other = make_suggestion(make_user("jo@example.org"), title="A tabloid column")

    # --- Find a resource by searching, and log it --------------------------------------------
    log_in(page, practitioner.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource library")
    expect(page.locator("#results")).to_contain_text("3 resources")
    screenshot(page, "library")
    assert_no_serious_axe_violations(page, "the library")

    field(page, "Search").fill("capacity")
    results = page.locator("#results")
    expect(results).to_contain_text("2 resources, best match first")
    expect(page).to_have_url(re.compile(r"/library/\?.*q=capacity"))
    cards = results.locator(".resource-card h2")
    expect(cards).to_have_text([code.title, "A frontline blog on supervision"])

    cards.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(code.title)
    expect(page.get_by_text("You have not logged this yet.")).to_be_visible()
    page.get_by_role("main").get_by_role("button", name="Log this").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log an activity")
    expect(field(page, "Title")).to_have_value(code.title)
    expect(field(page, "Link")).to_have_value(code.url)
    expect(field(page, "Type")).to_have_value(ActivityType.READING)
    expect(field(page, "Platform")).to_have_value("website")
    expect(page.get_by_label("PCF5 Knowledge", exact=True)).to_be_checked()
    field(page, "Time spent").fill("40m")
    field(page, "What happened?").fill("Reread the chapter on assessing capacity.")
    field(page, "What did I learn?").fill("Supporting a decision comes before assessing it.")
    field(page, IMPACT_LABEL).fill("I record the steps I took to support each decision.")
    page.get_by_role("button", name="Save entry").click()

    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(page.get_by_text("From the library:")).to_contain_text(code.title)
    logged = Entry.objects.get(owner=practitioner)
    assert (logged.resource, logged.status, logged.duration_minutes) == (
        code,
        Status.COMPLETE,
        40,
    )
    page.get_by_role("link", name=code.title).click()
    expect(page.locator("#my-entries-heading + ul")).to_contain_text(code.title)

    # --- Save another for later --------------------------------------------------------------
    page.goto(hub.get_absolute_url())
    page.get_by_role("button", name=re.compile("^Save for later")).click()
    expect(page.get_by_role("button", name=re.compile("^Saved · remove"))).to_be_visible()
    assert ReadingListEntry.objects.filter(owner=practitioner, resource=hub).exists()
    page.get_by_role("navigation", name="Library").get_by_role(
        "link", name="My reading list"
    ).click()
    expect(page.locator(".resource-card h2")).to_have_text([hub.title])

    # --- Take part in an event and complete the draft -----------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chats, webinars and workshops")
    expect(page.locator(".event-card h2")).to_have_text(["#SWSCmedia chat"])
    assert_no_serious_axe_violations(page, "the events calendar")
    page.get_by_role("link", name="#SWSCmedia chat", exact=True).click()
    expect(page.locator(".sessions li").first).to_contain_text("20:00–21:00")
    screenshot(page, "event")
    assert_no_serious_axe_violations(page, "an event")

    page.get_by_role("button", name="I took part").click()
    expect(page).to_have_url(re.compile(r"/activities/\d+/edit/$"))
    expect(page.get_by_role("status")).to_contain_text("as a draft: add your reflection")
    expect(field(page, "Title")).to_have_value("#SWSCmedia chat")
    expect(field(page, "Type")).to_have_value(ActivityType.LIVE_CHAT)
    expect(field(page, "Hashtag")).to_have_value("SWSCmedia")
    expect(field(page, "Time spent")).to_have_value("1h")
    expect(field(page, "Date")).to_have_value(chat.starts_at.astimezone(LONDON).date().isoformat())
    field(page, "What happened?").fill("Joined the weekly chat on supervision.")
    field(page, "What did I learn?").fill("Others open supervision with what went well.")
    field(page, IMPACT_LABEL).fill("I will start my next supervision the same way.")
    page.get_by_role("button", name="Save entry").click()
    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    took_part = Entry.objects.get(owner=practitioner, hashtag="SWSCmedia")
    assert (took_part.status, took_part.duration_minutes) == (Status.COMPLETE, 60)

    # --- Suggest a resource ------------------------------------------------------------------
    page.goto("/library/suggest/")
    field(page, "Link").fill(SUGGESTED_URL)
    field(page, "Title").fill("The Mental Elf")
    field(page, "Why is it worth adding?").fill("Short critical summaries of new research.")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My suggestions")
    expect(page.locator("article.suggestion")).to_contain_text("Waiting for a curator")
    log_out(page)

    # --- A curator approves it, declines another and reorders a list ----------------------------
    log_in(page, curator.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Curation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Curation")
    screenshot(page, "curation")
    assert_no_serious_axe_violations(page, "the curation overview")

    page.get_by_role("navigation", name="Curation").get_by_role("link", name="Suggestions").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Waiting for a decision \(2\)"))
    ).to_be_visible()
    screenshot(page, "suggestions")
    assert_no_serious_axe_violations(page, "the suggestions queue")
    declined = page.locator(f"#suggestion-{other.pk}")
    declined.get_by_label("Or decline, saying why").fill("Not a reliable source.")
    declined.get_by_role("button", name="Decline").click()
    expect(page.locator(f"#suggestion-{other.pk}")).to_contain_text("Declined")

    page.get_by_role("button", name=re.compile(r"^Approve\W*The Mental Elf")).click()
    expect(field(page, "Link")).to_have_value(SUGGESTED_URL)
    field(page, "Kind").select_option(label="Blog")
    page.get_by_label("PCF6 Critical reflection and analysis", exact=True).check()
    assert_no_serious_axe_violations(page, "the approval form")
    page.get_by_role("button", name="Add to the library").click()
    expect(page.get_by_role("status")).to_have_text("Added “The Mental Elf” to the library.")
    approved = Suggestion.objects.get(url=SUGGESTED_URL)
    assert approved.status == SuggestionStatus.APPROVED
    assert approved.resource == Resource.objects.get(url=SUGGESTED_URL)

    page.get_by_role("navigation", name="Curation").get_by_role("link", name="Lists").click()
    assert_no_serious_axe_violations(page, "the curated lists")
    page.get_by_role("link", name="Getting started with social media for CPD").click()
    items = page.locator(".curation-items > li strong")
    expect(items).to_have_text([hub.title, code.title, "A frontline blog on supervision"])
    page.get_by_role("button", name=f"Move “{code.title}” up").click()
    expect(items).to_have_text([code.title, hub.title, "A frontline blog on supervision"])
    screenshot(page, "list-editor")
    assert_no_serious_axe_violations(page, "a curated list's editor")

    for name, heading in [
        ("Resources", "Resources"),
        ("Import CSV", "Import resources from CSV"),
        ("Events", "Events"),
        ("Broken links", "Broken links"),
    ]:
        page.get_by_role("navigation", name="Curation").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_serious_axe_violations(page, f"the curation page “{heading}”")
    log_out(page)

    # --- The suggester sees the outcome ------------------------------------------------------
    log_in(page, practitioner.email)
    page.goto("/library/suggestions/")
    outcome = page.locator("article.suggestion")
    expect(outcome).to_contain_text("Added to the library")
    outcome.get_by_role("link", name="See it in the library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Mental Elf")


def expect_focus_on(page: Page, name: str) -> None:
    """The focused element is the button named ``name`` once htmx has settled the swap: the
    list's text changes at the swap, but the new buttons are htmx's (and the focus put back by
    curation-list.js) only when it settles. Enter pressed in between would post the new form
    without htmx, as a whole page, as no one pressing keys at a person's pace does."""
    expect(page.locator(".htmx-request, .htmx-settling")).to_have_count(0)
    expect(page.locator("button:focus")).to_have_text(re.compile(rf"{re.escape(name)}$"))


def test_a_curator_makes_a_list_without_an_address_and_reorders_it_by_keyboard(
    page: Page, live_server
):
    curator = make_user("curator@example.org", role=Role.ADMIN, display_name="Cara Curator")
    titles = ["Community Care", "The Mental Elf", "BASW on CPD"]
    for title in titles:
        make_resource(title=title)

    log_in(page, curator.email)
    page.goto("/curation/lists/")
    page.get_by_role("button", name="New list").click()
    field(page, "Title").fill("Where to start")
    page.get_by_role("button", name="Save list").click()

    # No address typed: one is made from the title, and the list is not published yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Where to start”")
    curated_list = CuratedList.objects.get()
    assert (curated_list.slug, curated_list.status) == ("where-to-start", Publication.DRAFT)
    expect(page.get_by_role("main")).to_contain_text("Practitioners cannot see this list")
    page.get_by_role("button", name="Publish “Where to start”").click()
    expect(page.get_by_role("main")).to_contain_text("has no published resource on it yet")
    curated_list.refresh_from_db()
    assert curated_list.status == Publication.DRAFT

    items = page.locator(".curation-items > li strong")
    for count, title in enumerate(titles, start=1):
        field(page, "Resource").select_option(label=title)
        page.get_by_role("button", name="Add to the list").click()
        expect(items).to_have_count(count)
    assert_no_serious_axe_violations(page, "a new list's editor")

    # Reorder with the keyboard: the focus stays on the moved item's button.
    page.get_by_role("button", name="Move “Community Care” down").focus()
    page.keyboard.press("Enter")
    expect(items).to_have_text(["The Mental Elf", "Community Care", "BASW on CPD"])
    expect_focus_on(page, "Move “Community Care” down")
    page.keyboard.press("Enter")
    expect(items).to_have_text(["The Mental Elf", "BASW on CPD", "Community Care"])
    # At the end of the list its "down" is disabled: the focus moves to its "up".
    expect_focus_on(page, "Move “Community Care” up")
    page.keyboard.press("Enter")
    expect(items).to_have_text(["The Mental Elf", "Community Care", "BASW on CPD"])
    expect_focus_on(page, "Move “Community Care” up")

    page.get_by_role("button", name="Publish “Where to start”").click()
    expect(page.get_by_role("status")).to_have_text("“Where to start” is published.")
    curated_list.refresh_from_db()
    assert curated_list.status == Publication.PUBLISHED
