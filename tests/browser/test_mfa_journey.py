"""Two-factor authentication in a real browser, under a strict Content-Security-Policy.

A programme leader signs in, is made to add a second factor before anything else, adds a
passkey with Chromium's virtual authenticator, signs out and back in with it. A practitioner
sets up an authenticator app from her profile, signs out, and signs back in once with a code
from the app and once with a recovery code. Any CSP violation in the console on the account
pages fails the test.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations
from tests.factories import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.browser


@pytest.fixture
def page_with_passkeys(page: Page, settings):
    """``page``, where passkeys work on http://localhost. The site's own policy applies to every
    page, and the browser tests' watch (tests/browser/conftest.py) fails the test on any
    violation, on the two-factor pages as on the rest."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    return page


def sign_in_with_password(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^Email")).fill(email)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def enter_authenticator_code_if_enrolled(page: Page, email: str) -> None:
    """After the password: make_user() sets up an authenticator app for leaders and admins, so
    signing in then asks for its code."""
    if Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).exists():
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        page.locator("input[name=code]").fill(totp_code())
        page.get_by_role("button", name="Log in").click()


def confirm_password(page: Page) -> None:
    expect(page.get_by_text("Enter your password")).to_be_visible()
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def add_virtual_authenticator(page: Page) -> None:
    """Chromium's WebAuthn emulation: a platform authenticator that holds passkeys and verifies
    the user (as a fingerprint reader would) without asking."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_leader_must_add_a_passkey_then_signs_in_with_it(page_with_passkeys: Page):
    page = page_with_passkeys
    leader = make_user("leader@example.org", role=Role.PROGRAMME_LEADER, mfa=False)
    add_virtual_authenticator(page)

    sign_in_with_password(page, leader.email)
    expect(page).to_have_url(re.compile("/accounts/2fa/$"))
    expect(page.get_by_text("must set up two-factor authentication")).to_be_visible()
    page.goto("/dashboard/")  # nothing else works yet
    expect(page).to_have_url(re.compile("/accounts/2fa/$"))
    assert_no_serious_axe_violations(page, "the two-factor overview")

    page.get_by_role("button", name="Add a security key").click()
    confirm_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a security key")
    page.get_by_role("button", name="Add the key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert Authenticator.objects.filter(user=leader, type="webauthn").count() == 1

    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile("/dashboard/$"))
    log_out(page)

    sign_in_with_password(page, leader.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_no_serious_axe_violations(page, "the second-factor step")
    page.get_by_role("button", name="A passkey or security key").click()
    expect(page).to_have_url(re.compile("/dashboard/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_practitioner_sets_up_an_app_then_signs_in_with_a_code_and_a_recovery_code(
    page_with_passkeys: Page, time_machine
):
    page = page_with_passkeys
    practitioner = make_user("alex@example.org")
    sign_in_with_password(page, practitioner.email)
    expect(page).to_have_url(re.compile("/dashboard/$"))  # not required of practitioners

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    confirm_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.locator("img.qr-code")).to_be_visible()
    assert_no_serious_axe_violations(page, "the authenticator app set-up")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("^Authenticator code")).fill(totp_code(secret))
    page.get_by_role("button", name="Turn it on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    recovery_codes = page.locator("#recovery_codes").input_value().split()
    assert len(recovery_codes) == 10
    log_out(page)

    time_machine.shift(dt.timedelta(seconds=31))  # the app shows its next code
    sign_in_with_password(page, practitioner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.locator("input[name=code]").fill("123456")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile("/dashboard/$"))
    log_out(page)

    sign_in_with_password(page, practitioner.email)
    page.locator("input[name=code]").fill(recovery_codes[0])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile("/dashboard/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
