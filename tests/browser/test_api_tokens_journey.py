"""API tokens end to end in a real browser: a practitioner creates a read token on her
profile, copies the secret from the page, reads her log with it from another program, then
revokes it and is refused. axe checks each token page on the way."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from api.models import AccessToken
from tests.browser.test_practitioner_journey import assert_no_serious_axe_violations, field
from tests.browser.test_resources_journey import log_in
from tests.factories import make_entry, make_user

pytestmark = pytest.mark.browser

EMAIL = "sam.api@example.org"
ENTRY_TITLE = "Supervision on strengths-based practice"


def test_api_token_journey(page: Page, live_server):
    owner = make_user(EMAIL)
    make_entry(owner, title=ENTRY_TITLE)
    log_in(page, EMAIL)

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert_no_serious_axe_violations(page, "the token list")

    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an API token")
    assert_no_serious_axe_violations(page, "the new token form")
    page.get_by_role("button", name="Create token").click()  # no name yet
    expect(page.get_by_role("alert")).to_contain_text("nothing you typed has been lost")
    field(page, "Name").fill("Reading app")
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your new token: “Reading app”")
    expect(page.get_by_role("alert")).to_contain_text("only time it is shown")
    assert_no_serious_axe_violations(page, "the new token")
    secret = page.get_by_label(re.compile(r"^Token")).input_value()
    assert secret.startswith("cpd_")
    assert AccessToken.objects.get().prefix == secret[:12]

    with httpx.Client(base_url=live_server.url) as api:
        auth = {"Authorization": f"Bearer {secret}"}
        log = api.get("/api/v1/activities/", headers=auth)
        assert log.status_code == 200
        assert [row["title"] for row in log.json()["results"]] == [ENTRY_TITLE]
        refused = api.post(
            "/api/v1/activities/", headers=auth, json={"title": "Nope", "activity_type": "other"}
        )
        assert refused.status_code == 403

        page.get_by_role("button", name="I have copied it").click()
        row = page.get_by_role("row").filter(has_text="Reading app")
        expect(row).to_contain_text("Read only")
        expect(row).to_contain_text(secret[:12])
        row.get_by_role("button", name="Revoke “Reading app”").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Revoke “Reading app”?")
        assert_no_serious_axe_violations(page, "the revoke question")
        page.get_by_role("button", name="Yes, revoke it").click()
        expect(page.get_by_role("status")).to_have_text(
            "Revoked “Reading app”: it no longer works."
        )
        expect(page.get_by_role("row").filter(has_text="Reading app")).to_contain_text("Revoked")

        after = api.get("/api/v1/activities/", headers=auth)
        assert after.status_code == 401
        assert after.json()["detail"].startswith("This token was revoked.")
