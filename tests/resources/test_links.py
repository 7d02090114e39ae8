"""The link checker, against a small web server on 127.0.0.1 in a thread of this process (no
test touches the internet): what counts as a working link, what is never fetched, how
failures add up and clear, and the daily task through a real Celery worker."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from core.safe_http import is_permitted_address, link_checker_client
from resources.link_check import LinkCheck, check_link, check_resource_links, record_link_check
from resources.models import Resource
from resources.tasks import check_library_links
from tests.resources.factories import make_resource

SLOW_SECONDS = 1.5
USER_AGENT = "CPDPortalLinkChecker/test (+https://cpd.example.org/about/links)"


@dataclass
class Site:
    """What the test server saw."""

    base: str
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, UA
    in_flight: int = 0
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def _answer(self, method: str) -> None:
        site = self.site
        with site.lock:
            site.requests.append((method, self.path, self.headers.get("User-Agent", "")))
            site.in_flight += 1
            site.most_at_once = max(site.most_at_once, site.in_flight)
        try:
            self._route(method)
        finally:
            with site.lock:
                site.in_flight -= 1

    def _send(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route(self, method: str) -> None:
        path = self.path
        if path == "/ok":
            self._send(200)
        elif path == "/missing":
            self._send(404)
        elif path == "/no-head":
            self._send(405 if method == "HEAD" else 200)
        elif path == "/moved":
            self._send(301, {"Location": "/ok"})
        elif path.startswith("/loop"):
            self._send(302, {"Location": f"/loop{len(path)}"})
        elif path == "/to-javascript":
            self._send(302, {"Location": "javascript:alert(1)"})
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200)
        elif path.startswith("/busy"):
            time.sleep(0.3)
            self._send(200)
        else:
            self._send(500)

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out closes the socket under a slow answer: expected


@pytest.fixture
def site() -> Iterator[Site]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    Handler.site = site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    settings.LINK_CHECK_TIMEOUT_SECONDS = 0.5
    settings.LINK_CHECK_MAX_REDIRECTS = 3
    settings.LINK_CHECK_USER_AGENT = USER_AGENT


def check(site: Site, path: str) -> LinkCheck:
    with link_checker_client() as client:
        return check_link(client, site.url(path))


# --- One link ---------------------------------------------------------------------------------


def test_a_working_link_is_checked_with_head_and_an_honest_user_agent(site, loopback_allowed):
    assert check(site, "/ok") == LinkCheck(True, status_code=200)
    assert site.requests == [("HEAD", "/ok", USER_AGENT)]


def test_a_missing_page_is_tried_again_with_get_then_fails(site, loopback_allowed):
    assert check(site, "/missing") == LinkCheck(False, "The server answered 404.", 404)
    assert [(m, p) for m, p, _ in site.requests] == [("HEAD", "/missing"), ("GET", "/missing")]


def test_a_server_that_refuses_head_is_asked_with_get(site, loopback_allowed):
    assert check(site, "/no-head").ok
    assert [m for m, _, _ in site.requests] == ["HEAD", "GET"]


def test_redirects_are_followed_up_to_the_limit(site, loopback_allowed):
    assert check(site, "/moved") == LinkCheck(True, status_code=200)
    looping = check(site, "/loop")
    assert looping == LinkCheck(False, "More than 3 redirects.")
    assert len([r for r in site.requests if r[1].startswith("/loop")]) == 4


def test_a_slow_server_times_out(site, loopback_allowed):
    started = time.monotonic()

    result = check(site, "/slow")

    assert result == LinkCheck(False, "No answer within 0.5s.")
    assert time.monotonic() - started < SLOW_SECONDS


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://x/a"]
)
def test_a_link_that_is_not_http_is_never_fetched(url, site, loopback_allowed):
    with link_checker_client() as client:
        result = check_link(client, url)

    assert not result.ok
    assert result.problem.startswith("Not a web address")


def test_a_redirect_to_something_that_is_not_http_is_not_followed(site, loopback_allowed):
    result = check(site, "/to-javascript")

    assert not result.ok
    assert [p for _, p, _ in site.requests] == ["/to-javascript"]


# --- Private addresses ------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_unless_settings_allow_it(host, site, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    url = site.url("/ok").replace("127.0.0.1", host)

    with link_checker_client() as client:
        result = check_link(client, url)

    assert not result.ok
    assert result.problem == (
        f"Not checked: {host} leads to an address inside a private or local network."
    )
    assert site.requests == [], "nothing reached the server"


@pytest.mark.parametrize(
    ("address", "permitted"),
    [
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("127.0.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address under test, not a bind
        ("::1", False),
        ("fd00::1", False),
        ("::ffff:192.168.1.1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::c0a8:101", False),  # NAT64 of 192.168.1.1
        ("64:ff9b:1::a00:1", False),  # a local network's own NAT64 prefix
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("224.0.0.1", False),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
    ],
)
def test_which_addresses_may_be_fetched(address, permitted):
    assert is_permitted_address(address, allow_private=False) is permitted


def test_allowing_private_addresses_still_refuses_nonsense(db):
    assert is_permitted_address("127.0.0.1", allow_private=True)
    assert not is_permitted_address("0.0.0.0", allow_private=True)  # noqa: S104


# --- Failures in a row ------------------------------------------------------------------------

FAILED = LinkCheck(False, "The server answered 404.", 404)
WORKED = LinkCheck(True, status_code=200)
DAY_ONE = dt.datetime(2030, 1, 1, 3, tzinfo=dt.UTC)


def on_day(n: int, hours: float = 0) -> dt.datetime:
    return DAY_ONE + dt.timedelta(days=n, hours=hours)


def test_a_link_is_broken_only_after_several_failed_days_in_a_row(db, settings):
    settings.LINK_CHECK_FAILURES_BEFORE_BROKEN = 3
    resource = make_resource()

    for day in range(2):
        record_link_check(resource, FAILED, on_day(day))
    assert (resource.link_failures, resource.link_is_broken) == (2, False)
    assert not Resource.objects.with_broken_links().exists()

    record_link_check(resource, FAILED, on_day(2))
    assert (resource.link_failures, resource.link_is_broken) == (3, True)
    assert list(Resource.objects.with_broken_links()) == [resource]
    assert resource.link_problem == "The server answered 404."


def test_a_repeated_check_the_same_day_is_not_another_failure(db):
    resource = make_resource()

    record_link_check(resource, FAILED, on_day(0))
    record_link_check(resource, FAILED, on_day(0, hours=1))  # a redelivered task
    record_link_check(resource, FAILED, on_day(0, hours=2))  # "check again"

    resource.refresh_from_db()
    assert resource.link_failures == 1
    assert resource.link_checked_at == on_day(0, hours=2)


def test_a_recovered_link_clears(db, settings):
    settings.LINK_CHECK_FAILURES_BEFORE_BROKEN = 3
    resource = make_resource(link_failures=7, link_problem="The server answered 503.")

    record_link_check(resource, WORKED, on_day(0))

    resource.refresh_from_db()
    assert (resource.link_failures, resource.link_problem) == (0, "")
    assert not resource.link_is_broken


def test_a_success_in_between_starts_the_count_again(db):
    resource = make_resource()

    for day, result in enumerate([FAILED, FAILED, WORKED, FAILED]):
        record_link_check(resource, result, on_day(day))

    assert resource.link_failures == 1


def test_only_so_many_links_are_checked_at_once(db, site, loopback_allowed, settings):
    settings.LINK_CHECK_CONCURRENCY = 2
    resources = [make_resource(url=site.url(f"/busy{n}")) for n in range(6)]

    results = check_resource_links(resources)

    assert [r.ok for r in results] == [True] * 6
    assert len(site.requests) == 6
    assert site.most_at_once == 2


# --- Through the real worker ------------------------------------------------------------------


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish in time")
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_checks_every_published_link_in_the_worker(
    celery_worker, site, loopback_allowed, settings, admin, client_for
):
    settings.LINK_CHECK_FAILURES_BEFORE_BROKEN = 3
    yesterday = timezone.now() - dt.timedelta(days=1)
    working = make_resource(
        title="Recovered resource",
        url=site.url("/ok"),
        link_failures=4,
        link_problem="The server answered 503.",
        link_checked_at=yesterday,
    )
    missing = make_resource(
        title="Moved resource", url=site.url("/missing"), link_failures=2, link_checked_at=yesterday
    )
    looping = make_resource(title="Looping resource", url=site.url("/loop"))
    retired = make_resource(
        title="Retired resource", url=site.url("/missing?old"), status="retired"
    )

    check_library_links.delay()

    wait_for(lambda: Resource.objects.filter(link_checked_at__gt=yesterday).count() == 3)
    for resource in (working, missing, looping, retired):
        resource.refresh_from_db()
    assert (working.link_failures, working.link_problem) == (0, "")
    assert (missing.link_failures, missing.link_is_broken) == (3, True)
    assert (looping.link_failures, looping.link_problem) == (1, "More than 3 redirects.")
    assert retired.link_checked_at is None
    assert {agent for _, _, agent in site.requests} == {USER_AGENT}

    page = client_for(admin).get(reverse("resources:curation_broken_links"))
    assert list(page.context["resources"]) == [missing]
    assert "The server answered 404." in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_check_again_queues_one_link_for_the_worker(
    celery_worker, site, loopback_allowed, admin, client_for
):
    fixed = make_resource(url=site.url("/ok"), link_failures=5, link_problem="Gone.")

    response = client_for(admin).post(reverse("resources:curation_link_check", args=[fixed.pk]))

    assert response.status_code == 302
    wait_for(lambda: Resource.objects.get(pk=fixed.pk).link_checked_at is not None)
    fixed.refresh_from_db()
    assert (fixed.link_failures, fixed.link_problem) == (0, "")
    assert [path for _, path, _ in site.requests] == ["/ok"]
