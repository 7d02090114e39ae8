"""The portal as production runs it: gunicorn with cpd_portal/gunicorn.conf.py, the README's
production environment (deploy/production.env.example), DEBUG off, on loopback. Requests come
as the TLS-terminating proxy sends them: the site's Host and X-Forwarded-Proto: https, read
through SECURE_PROXY_SSL_HEADER (gunicorn is told to trust no proxy itself, as when the load
balancer is another machine). Static files come from the suite's collectstatic."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.health import record_beat_heartbeat
from tests.deploy.production_env import example_environment, process_environment

# The server reads the test database: its tables, and only what is committed (nothing here).
pytestmark = pytest.mark.django_db

HOST = example_environment()["DJANGO_ALLOWED_HOSTS"].split(",")[0]
MONITOR_TOKEN = "monitor-token-for-the-gunicorn-test"
VIA_THE_PROXY = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server_logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gunicorn")


@pytest.fixture(scope="module")
def production_server(
    django_db_setup, django_db_blocker, collected_static_root, server_logs
) -> Iterator[httpx.Client]:
    if not settings.REDIS_URL:
        pytest.fail("The production server needs REDIS_URL (make test sets it).")
    with django_db_blocker.unblock():
        database = connection.settings_dict
    port = free_port()
    environment = process_environment(
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        REDIS_URL=settings.REDIS_URL,
        STATIC_ROOT=str(collected_static_root),
        PRIVATE_MEDIA_ROOT=str(server_logs / "private"),
        HEALTH_CHECK_TOKEN=MONITOR_TOKEN,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        GUNICORN_FORWARDED_ALLOW_IPS="192.0.2.1",  # nobody here: Django reads the proxy header
    )
    command = [
        sys.executable, "-m", "tests.clocked", timezone.now().isoformat(),
        "gunicorn", "-c", "cpd_portal/gunicorn.conf.py", "cpd_portal.wsgi",
    ]  # fmt: skip
    with (server_logs / "stdout").open("wb") as stdout, (server_logs / "stderr").open("wb") as err:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=settings.BASE_DIR, env=environment, stdout=stdout, stderr=err
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.get("/health/web/", headers={"Host": HOST})
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{(server_logs / 'stderr').read_text()}")
                time.sleep(0.2)  # waiting for it to listen, not asserting anything
        yield client
    finally:
        client.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_pages_send_hsts(production_server):
    response = production_server.get("/", headers=VIA_THE_PROXY)

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Secure" in response.headers["Set-Cookie"]  # the CSRF cookie of the log-in form


def test_pages_send_a_strict_content_security_policy(production_server):
    """django-csp arrives from a parallel branch of issue 13 (part 3)."""
    response = production_server.get("/", headers=VIA_THE_PROXY)

    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_plain_http_is_redirected_to_https(production_server):
    response = production_server.get("/library/?page=2", headers={"Host": HOST})

    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{HOST}/library/?page=2"


def test_hashed_static_files_are_cached_for_good(production_server, collected_static_root):
    manifest = json.loads((collected_static_root / "staticfiles.json").read_text())
    original, hashed = next(
        (name, hashed) for name, hashed in manifest["paths"].items() if name.endswith(".css")
    )

    stored = production_server.get(f"/static/{hashed}", headers=VIA_THE_PROXY)
    unhashed = production_server.get(f"/static/{original}", headers=VIA_THE_PROXY)

    assert stored.status_code == 200
    assert stored.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert stored.content == (collected_static_root / hashed).read_bytes()
    assert unhashed.headers["Cache-Control"] == "max-age=60, public"


def test_the_health_endpoint_reports_every_check(production_server):
    record_beat_heartbeat()  # as the worker does each minute, in the Redis the server reads

    as_monitor = production_server.get(
        "/health/", headers=VIA_THE_PROXY | {"Authorization": f"Bearer {MONITOR_TOKEN}"}
    )
    probed = production_server.get("/health/web/", headers={"Host": HOST})  # plain http

    assert as_monitor.status_code == 200, as_monitor.text
    assert as_monitor.json() == {
        "status": "ok",
        "checks": {name: "ok" for name in ("database", "cache", "storage", "broker", "beat")},
    }
    assert probed.status_code == 200
    assert probed.json() == {"status": "ok"}


def test_logs_are_json_lines_carrying_request_ids(production_server, server_logs):
    response = production_server.get(
        "/no-such-page/", headers=VIA_THE_PROXY | {"X-Request-ID": "proxy-given-id-1234"}
    )

    assert response.headers["X-Request-ID"] == "proxy-given-id-1234"
    lines = [
        json.loads(line)
        for name in ("stdout", "stderr")
        for line in (server_logs / name).read_text().splitlines()
    ]
    assert any(
        line.get("request_id") == "proxy-given-id-1234" and "Not Found" in line["message"]
        for line in lines
    )
