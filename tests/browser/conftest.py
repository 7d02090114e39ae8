"""Fixtures for the browser tests: one headless Chromium per session, a fresh context per test.

The browser is Debian's own Chromium (never a Playwright download), driven through Playwright's
sync API against pytest-django's ``live_server``, which runs in a thread of this process: it
shares the test database, the settings and the locmem outbox with the test.

Every browser context a test opens (``page``, or more through ``new_context``) is watched for
Content-Security-Policy violations: a test whose pages broke the site's policy fails, listing
them, even if everything it asserted held.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, ConsoleMessage, WebError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000

CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)
# Chromium logs what the policy refused to the console itself; the page's
# securitypolicyviolation event adds one line per violation, with the directive and the source,
# so every refusal reaches the console whatever Chromium chooses to log. An init script runs
# before the page's own and is not subject to the page's policy.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content Security Policy violation: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline code"} at ${event.sourceFile}:${event.lineNumber}`
  );
}, true);
"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}.")
    # Playwright's sync API keeps an event loop in the main thread, so Django's async-safety
    # check would refuse the ORM calls a test makes between browser steps. Set only while a
    # browser is up, and restored afterwards, so tests outside this package keep the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(request, collected_static_root):
    """pytest-django's live server, except that requests for static files go through the site
    itself, so WhiteNoise serves them as in production: by the manifest's hashed names, from
    the suite's collected files. (pytest-django's handler looks each request up in static/ by
    its source name, and so answers 404 to every hashed one.)"""
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.static_handler = _through_the_site
    server.start()
    yield server
    server.stop()


def _through_the_site(application):
    return application


@pytest.fixture
def csp_violations() -> list[str]:
    """What the test's pages reported the Content-Security-Policy refused, page by page."""
    return []


@pytest.fixture
def new_context(browser, live_server, csp_violations):
    """Opens a browser context on the live server, as ``browser.new_context`` does (with the
    same options), whose pages are watched for Content-Security-Policy violations. Every
    context is closed after the test, which then fails if any page broke the policy."""
    contexts: list[BrowserContext] = []

    def on_console(message: ConsoleMessage) -> None:
        if CSP_VIOLATION.search(message.text):
            where = message.page.url if message.page else message.location.get("url", "")
            csp_violations.append(f"{where}: {message.text}")

    def on_error(error: WebError) -> None:
        if CSP_VIOLATION.search(str(error.error)):
            where = error.page.url if error.page else ""
            csp_violations.append(f"{where}: {error.error}")

    def open_context(**options) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", on_console)
        context.on("weberror", on_error)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    if csp_violations:
        pytest.fail(
            "Pages broke the Content-Security-Policy:\n" + "\n".join(dict.fromkeys(csp_violations)),
            pytrace=False,
        )


@pytest.fixture
def page(new_context):
    context = new_context(
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    # The page's own clock (a capture's date, say) is the test's, as the server's is.
    context.clock.set_fixed_time(timezone.now())
    return context.new_page()


@pytest.fixture(autouse=True)
def _frameworks(transactional_db):
    """The PCF and the regulator's standards, as the data migration seeds them.

    live_server needs a transactional database, and pytest-django flushes every table after
    each transactional test, seeded rows included; so whichever transactional test ran before
    this one may have emptied them. Re-running the seeding is idempotent."""
    from portfolio.frameworks import load_framework_data, sync_frameworks
    from portfolio.models import Capability, Framework

    sync_frameworks(Framework, Capability, load_framework_data())
