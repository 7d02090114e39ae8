"""The browser tests' watch for Content-Security-Policy violations (conftest.py) sees what a
page's policy refuses, so that every other browser test can fail on one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import CSP_VIOLATION

pytestmark = pytest.mark.browser

ADD_INLINE_STYLE_AND_SCRIPT = """() => {
  document.body.insertAdjacentHTML("beforeend", '<p style="color: red">Red</p>');
  const script = document.createElement("script");
  script.textContent = "window.inlineScriptRan = true";
  document.body.append(script);
}"""


def test_what_the_policy_refuses_on_a_page_is_reported(page: Page, csp_violations):
    page.goto("/")
    assert csp_violations == []

    with page.expect_console_message(lambda message: "script-src" in message.text):
        page.evaluate(ADD_INLINE_STYLE_AND_SCRIPT)

    assert page.evaluate("() => window.inlineScriptRan") is None
    assert any("style-src" in violation for violation in csp_violations)
    assert any("script-src" in violation for violation in csp_violations)
    assert all(CSP_VIOLATION.search(violation) for violation in csp_violations)
    csp_violations.clear()  # seen: this test's own teardown has nothing left to fail on
