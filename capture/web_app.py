"""The portal as an installable web app: its manifest (name, icons, the share target that puts
it in a phone's Share menu) and what its service worker keeps for offline capture."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import HashedFilesMixin, staticfiles_storage
from django.templatetags.static import static

# The favicon's blue, so the installed app's title bar matches the site's mark.
THEME_COLOUR = "#1d5fad"
BACKGROUND_COLOUR = "#ffffff"

# Everything the quick-capture page needs to work with no connection, beside the page itself.
OFFLINE_STATIC_FILES = [
    "vendor/pico.min.css",
    "app.css",
    "vendor/htmx.min.js",
    "capture/capture.js",
    "favicon.svg",
    "icons/icon-192.png",
]
_ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
]


def web_app_manifest(*, start_url: str, share_url: str) -> dict[str, Any]:
    """The manifest: the app opens on quick capture, and a link shared to it from another app
    arrives at ``share_url`` as ?title=&text=&url=."""
    return {
        "name": "CPD Portal",
        "short_name": "CPD",
        "description": "Log your social work CPD in seconds and reflect on it later.",
        "id": start_url,
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "lang": "en-GB",
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in _ICONS
        ],
        "share_target": {
            "action": share_url,
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }


def offline_static_urls() -> list[str]:
    return [static(path) for path in OFFLINE_STATIC_FILES]


def offline_cache_version() -> str:
    """A fingerprint of the files the service worker keeps: a deploy that changes any of them
    changes the worker's text, so browsers install the new worker and drop the old cache.

    The manifest storage (production, after collectstatic) names each file by a hash of its
    content, so the URLs it gives are the fingerprint and no file is read. DEBUG's plain
    storage gives the same URL whatever the content, so there the files found in static/ are
    hashed too, and an edit made under `make run` reaches the worker as well."""
    urls_name_contents = isinstance(staticfiles_storage, HashedFilesMixin)
    digest = hashlib.sha256()
    for path, url in zip(OFFLINE_STATIC_FILES, offline_static_urls(), strict=True):
        digest.update(url.encode() + b"\n")
        if not urls_name_contents:
            digest.update(Path(finders.find(path)).read_bytes())
    return digest.hexdigest()[:12]
