"""Blog feeds: a WordPress RSS 2.0 feed and an Atom feed into proposed entries, hostile and
broken files refused with a message, generated feeds checked property by property, and fetching
by address against a small server on 127.0.0.1 (no test touches the internet)."""

from __future__ import annotations

import datetime as dt
import html
import io
import threading
import time
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.importers import feeds
from imports.importers.base import ImportOptions, ImportRejected
from imports.importers.feeds import fetch_feed, parse_feed
from portfolio.models import ActivityType, Platform

FIXTURES = Path(__file__).parent / "fixtures"
LONDON = ImportOptions(time_zone=ZoneInfo("Europe/London"))


def parse(data: bytes, options: ImportOptions = LONDON):
    return parse_feed(io.BytesIO(data), options)


# --- Real feeds -------------------------------------------------------------------------------


def test_a_wordpress_feed_becomes_blog_posts_written():
    entries = parse((FIXTURES / "wordpress.rss").read_bytes())

    assert [e.title for e in entries] == [
        "What the “voice of the child” means on a Monday morning",
        "Supervision notes: holding uncertainty",
        "A post linking somewhere odd",
    ]
    first, second, odd = entries
    assert first.activity_type == ActivityType.BLOG_WRITTEN
    assert first.platform == Platform.BLOG
    assert first.url == "https://dutydesknotes.wordpress.com/2026/03/10/voice-of-the-child/"
    assert first.occurred_on == dt.date(2026, 3, 10)
    assert first.source_key == "feed:https://dutydesknotes.wordpress.com/?p=412"
    assert first.tag_names == ["Reflection", "voice of the child", "PCF"]
    assert first.what_happened.startswith(
        "Three referrals before ten o’clock, and in every one the child’s own words were missing."
    )
    assert "<" not in first.what_happened and "alert" not in first.what_happened
    assert second.what_happened == (
        "My supervisor asked me what I was not sure about.\n\n- Risk\n- Timescales"
    )
    # Duplicate spellings of one tag collapse: "Reflection" and "reflection" differ only in case.
    assert second.tag_names == ["Supervision", "reflection"]
    assert odd.url == "", "a javascript: link is dropped, the post kept"


def test_the_date_is_the_users_local_date():
    entries = parse(
        (FIXTURES / "wordpress.rss").read_bytes(),
        ImportOptions(time_zone=ZoneInfo("Pacific/Auckland")),
    )
    # Posted at 23:30 UTC on 10 March: already the 11th in New Zealand.
    assert entries[0].occurred_on == dt.date(2026, 3, 11)


def test_an_atom_feed_of_someone_elses_blog_becomes_posts_read():
    entries = parse(
        (FIXTURES / "practice-blog.atom").read_bytes(),
        ImportOptions(time_zone=ZoneInfo("Europe/London"), own_feed=False),
    )

    assert [(e.title, e.occurred_on, e.activity_type) for e in entries] == [
        ("Strengths-based conversations & the Care Act", dt.date(2026, 6, 30), "blog_read"),
        ("Only an updated date", dt.date(2026, 5, 14), "blog_read"),
    ]
    assert (
        entries[0].what_happened == "Section 9 assessments start with what matters to the person."
    )
    assert entries[0].tag_names == ["Care Act", "strengths"]
    assert entries[0].source_key == "feed:tag:practicematters.example.org,2026:post-57"
    # No summary: the start of the content stands in for it.
    assert entries[1].what_happened == "Making safeguarding personal: ask, then listen."


def test_an_rss_1_feed_is_read():
    data = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://blog.example.org/"><title>B</title></channel>
  <item rdf:about="https://blog.example.org/one">
    <title>One</title><link>https://blog.example.org/one</link>
    <dc:date>2026-01-05T10:00:00Z</dc:date><description>Hello</description>
  </item>
</rdf:RDF>"""
    [entry] = parse(data)
    assert (entry.title, entry.occurred_on, entry.source_key) == (
        "One",
        dt.date(2026, 1, 5),
        "feed:https://blog.example.org/one",
    )


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>B</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def test_undated_posts_are_left_out_and_a_repeated_post_counts_once():
    dated = (
        "<item><title>A</title><guid>a</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>"
        "</item>"
    )
    entries = parse(rss(dated, "<item><title>Undated</title><guid>u</guid></item>", dated))
    assert [e.title for e in entries] == ["A"]


def test_a_post_without_a_title_or_link_still_gets_both_a_title_and_a_stable_key():
    item = (
        "<item><description>&lt;p&gt;Just a thought.&lt;/p&gt;</description>"
        "<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>"
    )
    [first] = parse(rss(item))
    [again] = parse(rss(item))
    assert first.title == "Just a thought."
    assert first.source_key == again.source_key
    [empty] = parse(rss("<item><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>"))
    assert empty.title == "Blog post of 5 January 2026"


def test_a_long_guid_is_hashed_to_fit_and_a_long_title_is_cut():
    guid = "https://blog.example.org/" + "x" * 400
    [entry] = parse(
        rss(
            f"<item><title>{'word ' * 100}</title><guid>{guid}</guid>"
            "<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>"
        )
    )
    assert entry.source_key.startswith("feed:sha256:") and len(entry.source_key) <= 255
    assert len(entry.title) <= 200 and entry.title.endswith("…")


# --- Refused ----------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item></channel></rss>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "declares its own entities"),
        (EXTERNAL_ENTITY, "declares its own entities"),
        (b"<!DOCTYPE html><html><head><title>Blog</title></head><body>", "a web page, not a feed"),
        (
            b'<?xml version="1.0"?>\n<!-- hi -->\n<html xmlns="http://www.w3.org/1999/xhtml"/>',
            "a web page, not a feed",
        ),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><item>', "the XML is damaged"),
        (b"%PDF-1.7 binary", "the XML is damaged"),
        (b'<?xml version="1.0" encoding="klingon"?><rss/>', "unknown encoding"),
        (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "not an RSS or Atom"),
        (b"  \n ", "The feed is empty."),
        (rss(), "no posts in it"),
        (rss("<item><title>Undated</title></item>"), "None of the posts in this feed has a date"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, message):
    with pytest.raises(ImportRejected, match=message):
        parse(data)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(feeds, "FEED_MAX_BYTES", 1000)
    with pytest.raises(ImportRejected, match="larger than"):
        parse(rss("<item><title>x</title></item>" * 100))


# --- Properties -------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_entries_or_a_rejection(data):
    try:
        result = parse(data)
    except ImportRejected as error:
        assert str(error)
    else:
        assert isinstance(result, list) and result


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300).map(lambda t: f'<?xml version="1.0"?><rss><channel>{t}'.encode()))
def test_xml_like_text_gives_entries_or_a_rejection(data):
    try:
        result = parse(data)
    except ImportRejected as error:
        assert str(error)
    else:
        assert result


# Text an XML document can carry, without "<" or ">" so that any left in the output would be
# markup the parser failed to remove.
_words = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Cc"),
        exclude_characters="\ufffe\uffff<>",
    ),
    max_size=40,
)
_markup = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<b>",
        "</p><p>",
        '<img src="x" onerror="alert(1)">',
        "<style>p{}</style>",
        "<br/>",
        "<!-- note -->",
    ]
)
_html = st.lists(st.one_of(_words, _markup), max_size=6).map("".join)
_posted = st.datetimes(
    min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2090, 12, 31)
).flatmap(
    lambda moment: st.integers(min_value=-14 * 4, max_value=14 * 4).map(
        lambda quarters: moment.replace(
            second=0, microsecond=0, tzinfo=dt.timezone(dt.timedelta(minutes=15 * quarters))
        )
    )
)
_item = st.fixed_dictionaries(
    {
        "title": _html,
        "summary": _html,
        "posted": st.one_of(st.none(), _posted),
        "tags": st.lists(_words, max_size=3),
    }
)


def _rss_item(index: int, item: dict) -> str:
    date = f"<pubDate>{format_datetime(item['posted'])}</pubDate>" if item["posted"] else ""
    tags = "".join(f"<category>{html.escape(tag)}</category>" for tag in item["tags"])
    return (
        f"<item><title>{html.escape(item['title'])}</title><guid>post-{index}</guid>{date}"
        f"<description>{html.escape(item['summary'])}</description>{tags}</item>"
    )


def _atom_entry(index: int, item: dict) -> str:
    date = f"<published>{item['posted'].isoformat()}</published>" if item["posted"] else ""
    tags = "".join(f"<category term={html.escape(t, quote=True)!r}/>" for t in item["tags"] if t)
    return (
        f'<entry><title type="html">{html.escape(item["title"])}</title><id>post-{index}</id>'
        f'{date}<summary type="html">{html.escape(item["summary"])}</summary>{tags}</entry>'
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_item, min_size=1, max_size=6),
    st.sampled_from(["rss", "atom"]),
    st.sampled_from(["Europe/London", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"]),
)
def test_generated_feeds_give_one_clean_entry_per_dated_post(items, kind, zone):
    if kind == "rss":
        body = "".join(_rss_item(i, item) for i, item in enumerate(items))
        data = f'<rss version="2.0"><channel><title>T</title>{body}</channel></rss>'
    else:
        body = "".join(_atom_entry(i, item) for i, item in enumerate(items))
        data = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{body}</feed>'
    options = ImportOptions(time_zone=ZoneInfo(zone))
    dated = [item for item in items if item["posted"]]

    if not dated:
        with pytest.raises(ImportRejected, match="has a date"):
            parse(data.encode(), options)
        return
    entries = parse(data.encode(), options)

    assert len(entries) == len(dated)
    assert len({e.source_key for e in entries}) == len(entries)
    for entry, item in zip(entries, dated, strict=True):
        assert 0 < len(entry.title) <= 200
        for text in (entry.title, entry.what_happened, *entry.tag_names):
            assert "<" not in text and ">" not in text and "alert(1)" not in text
        assert entry.occurred_on == item["posted"].astimezone(options.time_zone).date()


# --- Fetching by address ----------------------------------------------------------------------

SMALL_FEED = rss(
    "<item><title>Fetched</title><guid>f</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>"
    "</item>"
)


class FeedServer(BaseHTTPRequestHandler):
    paths: list[str]

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        self.paths.append(self.path)
        if self.path == "/feed":
            self._send(200, SMALL_FEED, "application/rss+xml")
        elif self.path == "/page":
            self._send(200, b"<!DOCTYPE html><html><body>My blog</body></html>", "text/html")
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.end_headers()
        elif self.path == "/huge":
            # No Content-Length: only counting while reading can stop it.
            self.send_response(200)
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x" * 1000)
        elif self.path == "/drip":
            self.send_response(200)
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, SMALL_FEED, "application/rss+xml")
        else:
            self._send(404, b"", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the client hangs up on the endless answers: expected


@pytest.fixture
def server(settings) -> Iterator[str]:
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    settings.LINK_CHECK_TIMEOUT_SECONDS = 0.5
    settings.LINK_CHECK_MAX_REDIRECTS = 3
    FeedServer.paths = []
    httpd = QuietServer(("127.0.0.1", 0), FeedServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_feed_is_fetched_by_address(server):
    data = fetch_feed(server + "/feed")
    assert data == SMALL_FEED
    assert [e.title for e in parse(data)] == ["Fetched"]


def test_a_private_address_is_refused_unless_settings_allow_it(server, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    with pytest.raises(ImportRejected, match="private or local addresses"):
        fetch_feed(server + "/feed")
    assert FeedServer.paths == [], "nothing reached the server"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered 404"),
        ("/page", "a web page, not a feed"),
        ("/loop", "redirects more than 3 times"),
        ("/slow", "took too long"),
    ],
)
def test_fetch_failures_say_what_to_do(server, path, message):
    with pytest.raises(ImportRejected, match=message):
        fetch_feed(server + path)


def test_a_feed_too_large_is_stopped_while_it_arrives(server, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_MAX_BYTES", 10_000)
    with pytest.raises(ImportRejected, match="larger than"):
        fetch_feed(server + "/huge")


def test_a_server_dripping_bytes_is_stopped_at_the_deadline(server, monkeypatch):
    monkeypatch.setattr(feeds, "FETCH_DEADLINE_SECONDS", 0.3)
    started = time.monotonic()
    with pytest.raises(ImportRejected, match="took too long"):
        fetch_feed(server + "/drip")
    assert time.monotonic() - started < 1.5


def test_nothing_listening_is_a_clear_failure(server):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    port = closed.server_address[1]
    closed.server_close()
    with pytest.raises(ImportRejected, match="could not reach that address"):
        fetch_feed(f"http://127.0.0.1:{port}/feed")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed", "feed.xml"])
def test_only_web_addresses_are_fetched(url, server):
    with pytest.raises(ImportRejected, match="starting with https://"):
        fetch_feed(url)
