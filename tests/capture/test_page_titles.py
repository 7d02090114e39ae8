"""A bare link's title: read from the shared text when the phone sent one, else from the
page's own og:title or <title>, fetched through core.safe_http's client from a small web
server on 127.0.0.1 in a thread of this process (no test touches the internet). Hostile
markup, huge and endless pages, files that are not pages, slow servers and redirects into a
private network all end in no title, never in an error or a wait; and the background task
replaces only a title the owner has not changed."""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from capture import page_titles
from capture.page_titles import TITLE_FETCH_MAX_BYTES, fetch_page_title, title_from_html
from capture.quick_capture import initial_from_shared_link
from capture.tasks import fetch_draft_title
from core import safe_http
from portfolio.models import Status
from tests.factories import make_entry

SLOW_SECONDS = 1.5
ARTICLE = (
    "<!doctype html><html><head><meta charset=utf-8>"
    '<meta property="og:title" content="Capacity at night: what AMHPs told us">'
    "<title>Capacity at night | Community Care</title></head><body>…</body></html>"
)

# --- From the shared text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shared", "title"),
    [
        # Chrome on Android: the page's title, and the link as text.
        ({"title": "Capacity at night", "text": "https://example.org/a"}, "Capacity at night"),
        # Many apps: one text, the title then the link.
        ({"text": "Capacity at night - https://example.org/a"}, "Capacity at night"),
        ({"text": "Capacity at night | https://example.org/a"}, "Capacity at night"),
        ({"text": "https://example.org/a\nCapacity at night"}, "Capacity at night"),
        # The link sent as its own title is no title.
        (
            {"title": "https://example.org/a", "text": "Worth a read https://example.org/a"},
            "Worth a read",
        ),
        # Only the link: no title, so the page's own is fetched after saving.
        ({"url": "https://example.org/a"}, ""),
        ({"text": "https://example.org/a"}, ""),
        ({"title": "https://example.org/a", "url": "https://example.org/a"}, ""),
    ],
)
def test_a_title_is_read_from_what_was_shared(shared, title):
    initial = initial_from_shared_link(shared)
    assert initial["url"] == "https://example.org/a"
    assert initial["title"] == title


# --- From the page's markup -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "title"),
    [
        (ARTICLE, "Capacity at night: what AMHPs told us"),  # og:title, as the page asks
        ("<title>\n  Supervision\n  that   works </title>", "Supervision that works"),
        ("<TITLE>Upper case</TITLE>", "Upper case"),
        ("<title>A &amp; B &#8211; C</title>", "A & B – C"),
        ('<meta name="og:title" content="Named, not a property">', "Named, not a property"),
        ('<meta property="og:title" content="  "><title>Fallback</title>', "Fallback"),
        ("<title>First</title><title>Second</title>", "First"),
        # A "<title>" written by a script is not the page's.
        ('<script>document.write("<title>Fake</title>")</script><title>Real</title>', "Real"),
        ("<style>title{}</style><!-- <title>Commented</title> --><title>Real</title>", "Real"),
        # Text, never markup: shown escaped wherever a title is shown.
        ("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>", "<script>alert(1)</script>"),
        # Control and direction-changing characters are dropped.
        ("<title>Bidi\u202eevil\x00\x07 title</title>", "Bidi evil title"),
        ("<title>Never closed", "Never closed"),
        ("<<<>>><title>Broken <b>markup</title>", "Broken markup"),
        ("<title>Kept</title><![bogus[ declaration ]]>", "Kept"),  # the parser gives up here
        ("<![bogus[ declaration ]]><title>Lost</title>", ""),
        ("<html><body><p>No title at all</p>", ""),
        ("", ""),
    ],
)
def test_a_title_is_read_from_the_pages_markup(markup, title):
    assert title_from_html(markup) == title


def test_an_endless_title_is_cut_to_what_an_entry_holds():
    assert title_from_html("<title>" + "word " * 10_000) == ("word " * 40).strip()


# --- Fetched --------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    sent: dict[str, int] = {}

    def log_message(self, *args) -> None:
        pass

    def _page(self, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/article":
            self._page(ARTICLE.encode())
        elif path == "/latin-1":
            self._page(
                "<title>Caf\xe9 culture</title>".encode("latin-1"), "text/html; charset=iso-8859-1"
            )
        elif path == "/meta-charset":
            page = '<meta charset="windows-1252"><title>\u2018Quoted\u2019 caf\xe9</title>'
            self._page(page.encode("cp1252"), "text/html")
        elif path == "/bad-charset":
            self._page(b"<title>Plain</title>", "text/html; charset=no-such-thing")
        elif path == "/pdf":
            self._page(b"%PDF-1.7 <title>Not a page</title>", "application/pdf")
        elif path == "/no-type":
            self._page(b"<title>Who knows</title>", "")
        elif path == "/missing":
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<title>Not found</title>")
        elif path.startswith("/huge"):
            # Ten megabytes of padding; the title comes before it or after it.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            sent = 0
            try:
                if path == "/huge-title-first":
                    self.wfile.write(b"<title>Found early</title>")
                for _ in range(160):
                    self.wfile.write(b"<p>" + b"x" * 65_536)
                    sent += 65_539
                self.wfile.write(b"<title>Found too late</title>")
            except OSError:
                pass  # the client stopped reading: what it should do
            Handler.sent[path] = sent
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._page(b"<title>Too late</title>")
        elif path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif path == "/to-intranet":
            self.send_response(302)
            self.send_header("Location", "http://intranet.example.org/secret")
            self.end_headers()
        else:
            self.send_response(500)
            self.end_headers()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that stopped reading closes the socket under the answer: expected


@pytest.fixture
def site(settings) -> Iterator[str]:
    """The test server's base address, with the client allowed to reach it (it stands in
    for a public site) and the title fetch given half a second."""
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    settings.CAPTURE_TITLE_FETCH_SECONDS = 0.5
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_pages_title_is_fetched(site):
    assert fetch_page_title(f"{site}/article") == "Capacity at night: what AMHPs told us"
    assert fetch_page_title(f"{site}/latin-1") == "Café culture"
    assert fetch_page_title(f"{site}/meta-charset") == "\u2018Quoted\u2019 café"
    assert fetch_page_title(f"{site}/bad-charset") == "Plain"


def test_a_public_redirect_is_followed(site):
    assert fetch_page_title(f"{site}/moved") == "Capacity at night: what AMHPs told us"


@pytest.mark.parametrize("path", ["/pdf", "/no-type", "/missing", "/nowhere"])
def test_what_is_not_a_page_gives_no_title(site, path):
    assert fetch_page_title(f"{site}{path}") == ""


def test_a_huge_page_is_read_only_as_far_as_the_limit(site):
    assert fetch_page_title(f"{site}/huge-title-first") == "Found early"
    assert fetch_page_title(f"{site}/huge") == "", "a title after the limit is never read"
    time.sleep(0.2)  # the server notices the client has gone
    assert Handler.sent["/huge"] < 10 * 1024 * 1024
    assert TITLE_FETCH_MAX_BYTES <= 256 * 1024


def test_a_slow_server_is_given_up_on_within_the_deadline(site):
    started = time.monotonic()
    assert fetch_page_title(f"{site}/slow") == ""
    assert time.monotonic() - started < SLOW_SECONDS


def test_a_redirect_into_a_private_network_is_refused(site, settings, monkeypatch, caplog):
    """The test server stands in for a public site (127.0.0.1 permitted by name); the
    intranet it redirects to resolves to 10.1.2.3, which the safe client must refuse before
    connecting."""
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    real_getaddrinfo = socket.getaddrinfo
    real_permitted = safe_http.is_permitted_address
    connected_to_intranet = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "intranet.example.org":
            connected_to_intranet.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(
        safe_http,
        "is_permitted_address",
        lambda address, allow_private: (
            address == "127.0.0.1" or real_permitted(address, allow_private)
        ),
    )
    assert fetch_page_title(f"{site}/article") != "", "the stand-in public site is reachable"

    with caplog.at_level(logging.INFO, logger=page_titles.__name__):
        assert fetch_page_title(f"{site}/to-intranet") == ""
    assert connected_to_intranet == ["intranet.example.org"]  # looked up, then refused
    assert "RefusedAddress" in caplog.text


def test_a_private_address_is_refused_outright(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    for link in ["http://127.0.0.1:9/", "http://localhost/", "http://169.254.169.254/latest/"]:
        assert fetch_page_title(link) == ""


# --- The background task --------------------------------------------------------------------

LINK = "https://example.org/a"


def bare_link_draft(owner, **fields):
    return make_entry(
        owner, title=LINK, url=LINK, status=Status.DRAFT, client_id=uuid.uuid4(), **fields
    )


def test_the_task_gives_a_bare_link_its_pages_title_once(practitioner, monkeypatch):
    fetched = []
    monkeypatch.setattr(
        "capture.tasks.fetch_page_title", lambda url: fetched.append(url) or "Capacity at night"
    )
    draft = bare_link_draft(practitioner)

    assert fetch_draft_title(draft.pk) is True
    draft.refresh_from_db()
    assert draft.title == "Capacity at night"
    # Run again (a retry, or delivered twice): nothing to do, nothing fetched.
    assert fetch_draft_title(draft.pk) is False
    assert fetched == [LINK]


def test_her_cached_log_shows_the_fetched_title(practitioner, monkeypatch, client_for):
    monkeypatch.setattr("capture.tasks.fetch_page_title", lambda url: "Capacity at night")
    draft = bare_link_draft(practitioner)
    client = client_for(practitioner)
    assert LINK in client.get(reverse("portfolio:entry_list")).content.decode()  # now cached

    fetch_draft_title(draft.pk)

    assert "Capacity at night" in client.get(reverse("portfolio:entry_list")).content.decode()


def test_the_task_never_overwrites_a_title_the_owner_gave(practitioner, monkeypatch):
    monkeypatch.setattr("capture.tasks.fetch_page_title", lambda url: "Fetched")
    draft = bare_link_draft(practitioner)
    draft.title = "My own words"
    draft.save()

    assert fetch_draft_title(draft.pk) is False
    draft.refresh_from_db()
    assert draft.title == "My own words"


def test_the_owners_edit_made_during_the_fetch_wins(practitioner, monkeypatch):
    draft = bare_link_draft(practitioner)

    def fetch_while_the_owner_edits(url: str) -> str:
        type(draft).objects.filter(pk=draft.pk).update(title="Typed meanwhile")
        return "Fetched"

    monkeypatch.setattr("capture.tasks.fetch_page_title", fetch_while_the_owner_edits)
    assert fetch_draft_title(draft.pk) is False
    draft.refresh_from_db()
    assert draft.title == "Typed meanwhile"


def test_the_task_does_nothing_for_a_gone_draft_or_no_title(practitioner, monkeypatch):
    monkeypatch.setattr("capture.tasks.fetch_page_title", lambda url: "")
    draft = bare_link_draft(practitioner)
    assert fetch_draft_title(draft.pk) is False
    draft.refresh_from_db()
    assert draft.title == LINK
    assert fetch_draft_title(draft.pk + 1000) is False


def test_the_task_declares_its_retries():
    assert fetch_draft_title.max_retries == 3
    assert fetch_draft_title.autoretry_for
