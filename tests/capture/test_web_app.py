"""The installable web app: a manifest whose icons exist, with a share target, and a service
worker served from the root, never cached, naming a cache that changes with its files."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from capture import web_app

MANIFEST = reverse("capture:manifest")
SERVICE_WORKER = reverse("capture:service_worker")
# The manifest storage's name for a file: its content's hash (12 hex digits) before the suffix.
CONTENT_HASH = re.compile(r"\.[0-9a-f]{12}(?=\.\w+$)")


def source_url(url: str) -> str:
    """The URL under the file's own name, without the hash the manifest storage adds."""
    return CONTENT_HASH.sub("", url)


def cache_version(script: str) -> str:
    return re.search(r'const CACHE = CACHE_PREFIX \+ "(.*)";', script)[1]


def listed_static_files(script: str) -> list[str]:
    # The template escapes them for JavaScript, in a way JSON reads too.
    return json.loads(re.search(r"const STATIC_FILES = (\[.*\]);", script)[1])


def test_the_manifest_describes_an_installable_app(client, db):
    response = client.get(MANIFEST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "CPD Portal"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/capture/" == reverse("capture:capture")
    assert manifest["display"] == "standalone"
    assert manifest["share_target"] == {
        "action": reverse("capture:link"),
        "method": "GET",
        "params": {"title": "title", "text": "text", "url": "url"},
    }


def test_every_icon_exists_at_its_declared_size(client, db):
    icons = client.get(MANIFEST).json()["icons"]
    assert {icon["purpose"] for icon in icons} == {"any", "maskable"}
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in icons}
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, f"{icon['src']} is not a static file"
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_site_colours_match_the_manifest(client, db):
    manifest = client.get(MANIFEST).json()
    page = client.get(reverse("account_login")).content.decode()
    assert f'<meta name="theme-color" content="{manifest["theme_color"]}">' in page
    assert f'<link rel="manifest" href="{MANIFEST}">' in page
    assert manifest["background_color"] == "#ffffff"


def test_the_service_worker_is_served_from_the_root_and_never_cached(client, db):
    response = client.get(SERVICE_WORKER)
    assert SERVICE_WORKER == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


def test_the_service_worker_keeps_the_capture_page_and_its_files(client, db):
    script = client.get(SERVICE_WORKER).content.decode()
    assert f'const CACHE = CACHE_PREFIX + "{web_app.offline_cache_version()}";' in script
    assert 'const CAPTURE_PAGE = "/capture/";' in script
    listed = listed_static_files(script)
    assert listed == web_app.offline_static_urls()
    assert {"/static/capture/capture.js", "/static/vendor/pico.min.css"} <= {
        source_url(url) for url in listed
    }
    for url in listed:
        assert client.get(url).status_code == 200, url


def test_the_worker_lists_hashed_urls_and_its_cache_follows_a_changed_file(
    client, db, settings, tmp_path, monkeypatch
):
    """The manifest storage, as production and the tests run: each deploy's collectstatic
    names the offline files by their content, and the worker's cache version comes from
    those names alone, with no file read to build it."""
    sources = tmp_path / "static"
    shutil.copytree(settings.STATICFILES_DIRS[0], sources)
    settings.STATICFILES_DIRS = [sources]
    # Only static/: the apps' own files (the admin's) would only slow each collection.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collected"

    def deploy() -> str:
        call_command("collectstatic", interactive=False, clear=True, verbosity=0)
        with monkeypatch.context() as no_reading:
            no_reading.setattr(
                finders, "find", lambda *args, **kwargs: pytest.fail("a file was read")
            )
            return client.get(SERVICE_WORKER).content.decode()

    first = deploy()
    assert deploy() == first
    listed = listed_static_files(first)
    assert len(listed) == len(web_app.OFFLINE_STATIC_FILES)
    assert all(source_url(url) != url for url in listed), listed

    capture_js = sources / "capture" / "capture.js"
    capture_js.write_text(capture_js.read_text() + "\n// The next release.\n")
    second = deploy()

    assert cache_version(second) != cache_version(first)
    renamed = {
        source_url(old): new
        for old, new in zip(listed, listed_static_files(second), strict=True)
        if old != new
    }
    assert renamed.keys() == {"/static/capture/capture.js"}
    # WhiteNoise reads the collected files when the site starts, as a deploy's new process does.
    assert Client().get(renamed["/static/capture/capture.js"]).status_code == 200


def test_with_debugs_plain_names_the_cache_version_follows_the_files(
    settings, tmp_path, monkeypatch
):
    """`make run` serves static/ as it is, under URLs that never change: the files found there
    are hashed instead, so an edit still reaches the worker."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert "/static/capture/capture.js" in web_app.offline_static_urls()
    copies = {}
    for name in web_app.OFFLINE_STATIC_FILES:
        copy = tmp_path / name.replace("/", "_")
        copy.write_bytes(b"contents of " + name.encode())
        copies[name] = copy
    monkeypatch.setattr(web_app.finders, "find", lambda name: copies[name])
    before = web_app.offline_cache_version()
    assert web_app.offline_cache_version() == before
    copies["capture/capture.js"].write_bytes(b"a new capture.js")
    assert web_app.offline_cache_version() != before
