"""Invitations that tell the truth first, and the account pages in the site's voice, in a
real browser: a leader pastes a list with a bad address and reads the per-address report; an
expired invitation, opened signed out, says so (address masked) before any sign-up; a valid
one leads to a sign-up form already holding the invited address and name; and axe finds
nothing on the restyled allauth pages, at desktop and phone widths."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role, User
from core import outbox
from core.models import OutgoingEmail
from programmes import invitations
from programmes.models import Invitation, Membership
from tests.browser.test_practitioner_journey import field
from tests.browser.test_programme_journey import log_in
from tests.factories import PASSWORD, make_user
from tests.programmes.conftest import make_cohort

pytestmark = pytest.mark.browser

INVITE_LINK = re.compile(r"https?://\S+/invitations/\S+/")
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")
NEW_PASSWORD = "a-long-unusual-passphrase-42"
PHONE = {"width": 390, "height": 844}


def assert_no_axe_violations(page: Page, where: str) -> None:
    """Stricter than the practitioner journey's check: nothing at any impact."""
    violations = Axe().run(page).response["violations"]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(f"    {node['target']}\n" for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe found problems on {where}:\n{report}"


def assert_fits_the_width(page: Page, where: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"


def link_in_owed_email(kind: str, recipient: str, pattern: re.Pattern) -> str:
    """The link an owed email carries (its body is kept until a worker sends it)."""
    owed = OutgoingEmail.objects.filter(kind=kind, recipient=recipient).latest("pk")
    return pattern.search(owed.body)[0]


@pytest.fixture
def emails_kept_unsent(monkeypatch):
    """No worker sends the owed emails, so each keeps its link for the test to follow."""
    monkeypatch.setattr(outbox, "_enqueue", lambda pk: None)


def test_invitations_tell_the_truth_before_sign_up(
    page: Page, new_context, live_server, settings, emails_kept_unsent
):
    settings.SITE_URL = live_server.url
    leader_user = make_user(
        "leader@example.org", role=Role.PROGRAMME_LEADER, display_name="Dr Sam Patel"
    )
    cohort = make_cohort(leader_user, "Advanced practice MSc")
    invitations.invite(cohort, ["old.invite@example.net"], invited_by=leader_user)
    expired_link = link_in_owed_email("invitation", "old.invite@example.net", INVITE_LINK)
    Invitation.objects.filter(email="old.invite@example.net").update(
        expires_at=timezone.now() - dt.timedelta(days=3)
    )

    # --- The leader pastes a list from an email program, with one bad address ---------------
    leader = page
    leader.goto("/accounts/login/")
    log_in(leader, "leader@example.org")
    leader.goto(cohort.get_absolute_url())
    leader.get_by_label("Students' email addresses").fill(
        "Alice Student <alice@example.net>; not-an-address\nbob@example.net, bob@example.net"
    )
    leader.get_by_role("button", name="Send invitations").click()
    report = leader.locator(".invitation-report")
    expect(report.get_by_role("heading")).to_have_text("2 invitations sent; 1 to correct below")
    expect(report.get_by_role("listitem")).to_have_text(
        [
            "alice@example.net: invited",
            re.compile(r"not-an-address: not invited, not an email address \(there is no @\)"),
            "bob@example.net: invited",
        ]
    )
    # The bad one is back in the box, to be corrected; the others went out.
    expect(leader.get_by_label("Students' email addresses")).to_have_value("not-an-address")
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "old.invite@example.net",
        "alice@example.net",
        "bob@example.net",
    }
    assert_no_axe_violations(leader, "the cohort overview with the invitation report")

    # --- Signed out, an expired invitation says so before any sign-up ----------------------
    visitor = new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    visitor.goto(expired_link)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
    expect(visitor.get_by_role("alert")).to_contain_text("sent to o••••@example.net, expired on")
    main = visitor.get_by_role("main")
    expect(main).not_to_contain_text("old.invite@example.net")
    expect(main.get_by_role("link", name="Create an account")).to_have_count(0)
    assert "old.invite@example.net" not in visitor.content()
    assert_no_axe_violations(visitor, "an expired invitation, signed out")

    # --- A valid one: sign up with the address and name already filled in --------------------
    invitee = new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    invitee.goto(link_in_owed_email("invitation", "alice@example.net", INVITE_LINK))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join 2026 intake")
    expect(invitee.get_by_role("main")).to_contain_text("sent to a••••@example.net")
    assert "alice@example.net" not in invitee.content()
    invitee.get_by_role("main").get_by_role("button", name="Create an account").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Create an account")
    expect(field(invitee, "Email address")).to_have_value("alice@example.net")
    expect(field(invitee, "Your name")).to_have_value("Alice Student")
    field(invitee, "Choose a password").fill(NEW_PASSWORD)
    field(invitee, "Type the password again").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Check your email")
    alice = User.objects.get(email="alice@example.net")
    assert alice.display_name == "Alice Student"

    invitee.goto(link_in_owed_email("email_confirmation_signup", alice.email, CONFIRM_LINK))
    expect(invitee.get_by_role("main")).to_contain_text("Is alice@example.net your address?")
    invitee.get_by_role("button", name="Confirm my address").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join 2026 intake")
    invitee.get_by_role("button", name="Join and share").click()
    assert Membership.objects.get(cohort=cohort).student == alice


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_account_pages_pass_axe(viewport, new_context, live_server):
    options = {"viewport": viewport} if viewport else {}
    page = new_context(locale="en-GB", **options).new_page()
    unconfirmed = make_user("unconfirmed@example.org")
    address = EmailAddress.objects.get(user=unconfirmed)
    address.verified = False
    address.save()
    confirm_path = f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"

    signed_out = {
        "/accounts/login/": "Log in",
        "/accounts/signup/": "Create an account",
        "/accounts/password/reset/": "Reset your password",
        "/accounts/password/reset/done/": "Check your email",
        "/accounts/confirm-email/": "Check your email",
        confirm_path: "Confirm your email address",
        "/accounts/confirm-email/not-a-key/": "Confirm your email address",
    }
    for path, title in signed_out.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert_no_axe_violations(page, path)
        assert_fits_the_width(page, path)

    # A form sent back with errors is checked too.
    page.goto("/accounts/signup/")
    field(page, "Email address").fill("not an address")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page, "sign-up with errors")

    make_user("sam@example.org")
    page.goto("/accounts/login/")
    field(page, "Email").fill("sam@example.org")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    # Signed in: the log-out form is on the page (on a phone, inside the closed menu).
    expect(page.locator('form[action="/accounts/logout/"]').first).to_be_attached()
    signed_in = {
        "/accounts/email/": "Your email addresses",
        "/accounts/password/change/": "Change your password",
        "/accounts/logout/": "Log out",
    }
    for path, title in signed_in.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert_no_axe_violations(page, path)
        assert_fits_the_width(page, path)
