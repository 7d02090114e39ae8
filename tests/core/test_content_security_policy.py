"""A strict Content-Security-Policy on every response, and pages that need nothing more.

The policy refuses inline script, inline style and eval, so the pages must keep all their code
and style in static files: these tests walk every page reachable from the start pages, as a
visitor and as each of the demo's three roles, and look for what the policy would refuse. The
browser tests (tests/browser/conftest.py) catch whatever a browser itself reports.
"""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from accounts.models import User
from core.cpd_year import cpd_year_containing
from portfolio.models import Entry
from tests.programmes.test_shared_packs import PACK_BYTES, make_pack

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# core/private_files.py: a download is never run as a page of the site.
DOWNLOAD_POLICY = {
    "default-src": "'none'",
    "img-src": "'self'",
    "style-src": "'unsafe-inline'",
    "sandbox": "",
}

# Script elements that hold data for a script, not a script: no policy applies to them.
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}
# Pages reached by query strings alone (filters, years, sort orders, pages of a list) draw the
# same templates again: a few of each view are enough.
PAGES_PER_VIEW = 3
START_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]


class InlineCode(HTMLParser):
    """What in a page the policy would refuse to run or apply: style attributes, <style>
    elements, event-handler attributes and <script> elements with a script in them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None  # the open inline script's start tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        text = self.get_starttag_text() or tag
        if "style" in names:
            self.found.append(f"a style attribute: {text}")
        # Every event-handler attribute starts with "on"; no other attribute does but "open".
        if any(name.startswith("on") and name != "open" for name in names):
            self.found.append(f"an event-handler attribute: {text}")
        if tag == "style":
            self.found.append("a <style> element")
        values = dict(attrs)
        if tag == "script" and "src" not in names and values.get("type") not in DATA_BLOCK_TYPES:
            self._script = text

    def handle_data(self, data: str) -> None:
        if self._script is not None and data.strip():
            self.found.append(f"an inline script: {self._script}{data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def inline_code(html: str) -> list[str]:
    finder = InlineCode()
    finder.feed(html)
    finder.close()
    return finder.found


class Links(HTMLParser):
    """Where a page leads by GET: its links, and the fragments htmx fetches into it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for address in (values.get("href") if tag == "a" else None, values.get("hx-get")):
            if address:
                self.found.append(address)


def links(html: str) -> list[str]:
    finder = Links()
    finder.feed(html)
    finder.close()
    return finder.found


def directives(response) -> dict[str, str] | None:
    """The response's Content-Security-Policy, directive by directive (django-csp writes them
    in no set order)."""
    header = response.get("Content-Security-Policy")
    if header is None:
        return None
    parts = (part.strip().partition(" ") for part in header.split(";"))
    return {name: value for name, _, value in parts}


def view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def walk(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Every page of the site reachable by GET from ``start``, with what is wrong with each:
    a missing or different policy, or inline code. Downloads must carry their own policy."""
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    per_view: Counter[str | None] = Counter()
    queue = deque(start)
    while queue:
        address = queue.popleft()
        if not address or address in seen:
            continue
        seen.add(address)
        path = urlsplit(address).path
        name = view_name(path)
        if name is not None:
            if per_view[name] >= PAGES_PER_VIEW:
                continue
            per_view[name] += 1
        response = client.get(address)
        wrong: list[str] = []
        policy = directives(response)
        content_type = response.get("Content-Type", "")
        if response.streaming:  # a file: evidence, a pack, a calendar
            read_to_the_end(response)
            if policy not in (POLICY, DOWNLOAD_POLICY):
                wrong.append(f"policy {policy!r}")
        else:
            if policy != POLICY:
                wrong.append(f"policy {policy!r}")
            if content_type.startswith("text/html"):
                html = response.content.decode()
                wrong += inline_code(html)
                queue.extend(ours(urljoin(address, link)) for link in links(html))
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(ours(urljoin(address, response["Location"])))
        if wrong:
            problems[f"{response.status_code} {address}"] = wrong
    return problems


def read_to_the_end(response) -> bytes:
    """A streamed response's content, read as a server would, which closes the file with the
    test client's care: closing it directly would also close the test's database connection."""
    return b"".join(response.streaming_content)


def ours(address: str) -> str:
    """``address`` as a path on this site, or the empty string for anywhere else (skipped)."""
    parts = urlsplit(address)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return ""
    if parts.path.startswith("/" + settings.STATIC_URL.lstrip("/")):  # the same on every page
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def demo(db, rendered_afresh):
    """The demo's three users (a practitioner in a programme, her leader, an admin) with
    their log, programme and library, plus an evidence pack so its pages have one to show.
    Every page is drawn from its templates, none from the fragment cache."""
    call_command("load_demo")
    practitioner = User.objects.get(email="practitioner@example.org")
    # The demo gives both a second factor, as they need before any other page is theirs to see.
    leader = User.objects.get(email="leader@example.org")
    admin = User.objects.get(email="admin@example.org")
    year = cpd_year_containing(timezone.localdate())
    make_pack(practitioner, year.start, year.end)
    return {
        "visitor": None,
        "practitioner": practitioner,
        "programme leader": leader,
        "admin": admin,
    }


@pytest.mark.parametrize("role", ["visitor", "practitioner", "programme leader", "admin"])
def test_every_page_has_the_policy_and_nothing_inline_it_refuses(demo, client_for, role):
    user = demo[role]
    start = [*START_PAGES, reverse("portfolio:dashboard"), reverse("capture:capture")]
    if user is not None and user.is_staff:
        start.append(reverse("admin:index"))

    problems = walk(client_for(user), start)

    assert problems == {}


def test_the_walk_reaches_the_pages_of_each_part_of_the_site(demo, client_for):
    """So that the walk above proves something: it gets past the front door."""
    seen: list[str] = []

    class Recording(Client):
        def get(self, path, *args, **kwargs):
            seen.append(path)
            return super().get(path, *args, **kwargs)

    client = Recording()
    client.force_login(demo["practitioner"])
    walk(client, [reverse("portfolio:dashboard")])

    entry = Entry.objects.filter(owner=demo["practitioner"]).first()
    for page in (entry.get_absolute_url(), reverse("packs:list"), reverse("summaries:list")):
        assert page in seen
    assert len(seen) > 40


def test_an_evidence_download_keeps_its_own_stricter_policy(demo, client_for):
    year = cpd_year_containing(timezone.localdate())
    pack = make_pack(demo["practitioner"], year.start, year.end)
    response = client_for(demo["practitioner"]).get(reverse("packs:download", args=[pack.pk]))

    assert response.status_code == 200
    assert directives(response) == DOWNLOAD_POLICY
    assert read_to_the_end(response) == PACK_BYTES


def test_static_files_carry_the_policy(client, collected_static_root):
    response = client.get(static("app.css"))

    assert response.status_code == 200
    assert directives(response) == POLICY
    assert read_to_the_end(response)


@pytest.mark.parametrize(
    "html",
    [
        '<p style="color: red">',
        "<style>p { color: red }</style>",
        '<button onclick="go()">',
        "<script>go()</script>",
        '<script type="module">import "./a.js"</script>',
    ],
)
def test_inline_code_is_found(html):
    assert inline_code(html)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/app.js" defer></script>',
        '<script type="application/json">{"a": 1}</script>',
        "<details open><summary>More</summary></details>",
        '<a href="javascript:void(0)" class="bookmarklet">Log this page</a>',
        "<p>style=, onclick= and <code>&lt;style&gt;</code> in words</p>",
    ],
)
def test_what_the_policy_allows_is_not_found(html):
    assert inline_code(html) == []


TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]
# Rendered to PDF by WeasyPrint, never served to a browser: the policy does not apply.
NOT_SERVED = {"packs/pdf"}


def test_no_template_holds_inline_code():
    """Pages the walk cannot reach by GET (a form with errors, say) draw on the same
    templates: none of them holds anything the policy refuses."""
    problems = {}
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            name = template.relative_to(directory).as_posix()
            if any(name.startswith(f"{prefix}/") for prefix in NOT_SERVED):
                continue
            found = inline_code(template.read_text())
            if found:
                problems[name] = found

    assert problems == {}
