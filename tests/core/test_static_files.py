"""Static files as production serves them: under names that carry their content's hash, kept
by browsers for good, and no page at all from a deploy that skipped collectstatic."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse

from cpd_portal import settings as project_settings

LOGIN = reverse("account_login")
TEN_YEARS = 10 * 365 * 24 * 60 * 60


def test_pages_link_static_files_by_hashed_names_that_browsers_keep_for_good(client, db):
    stylesheet = static("app.css")
    assert re.fullmatch(r"/static/app\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    assert f'<link rel="stylesheet" href="{stylesheet}">' in client.get(LOGIN).content.decode()

    response = client.get(stylesheet)
    assert response.status_code == 200
    assert response["Cache-Control"] == f"max-age={TEN_YEARS}, public, immutable"
    # The same file under its own name may change with the next deploy.
    assert "immutable" not in client.get("/static/app.css")["Cache-Control"]


@pytest.fixture
def production_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": project_settings.STORAGES["staticfiles"],
    }


def test_with_no_static_root_no_page_renders(production_storage, settings, client, db):
    settings.STATIC_ROOT = None
    with pytest.raises(ImproperlyConfigured, match="STATIC_ROOT"):
        client.get(LOGIN)


def test_without_collectstatic_no_page_renders(production_storage, settings, tmp_path, client, db):
    settings.STATIC_ROOT = tmp_path
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        client.get(LOGIN)
