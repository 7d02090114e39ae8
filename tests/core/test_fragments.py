"""The rules every cached fragment follows (core/fragments.py), shown on the pages whose forms
are cached: the evidence packs' and the summaries'. The log, the dashboard, the library and the
cohort overview have tests of their own beside their apps' (test_cached_pages.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Entry
from tests.cached_pages import CACHED_SECONDS, built_afresh, page_content
from tests.factories import make_entry

pytestmark = pytest.mark.calendar  # the forms offer periods of the year containing today

PACKS = reverse("packs:list")
SUMMARIES = reverse("summaries:list")


@pytest.fixture
def client(practitioner, client_for, settings):
    settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS
    make_entry(practitioner, occurred_on=timezone.localdate())
    client = client_for(practitioner)
    for url in (PACKS, SUMMARIES):
        client.get(url)  # cached
    return client


def _built_afresh(client, url, settings) -> str:
    return built_afresh(lambda: page_content(client.get(url)), settings)


def test_the_pack_form_counts_a_new_entry_at_once(client, practitioner, settings):
    assert "(1 complete)" in page_content(client.get(PACKS))
    make_entry(practitioner, occurred_on=timezone.localdate())
    assert "(2 complete)" in page_content(client.get(PACKS))
    assert page_content(client.get(PACKS)) == _built_afresh(client, PACKS, settings)


def test_a_form_sent_with_errors_is_shown_with_them_and_then_clean(client, settings):
    """A page answering a POST is never read from the cache nor written to it."""
    for url in (PACKS, SUMMARIES):
        sent = client.post(url, {"period": "custom", "start": "2026-13-40", "end": ""})
        assert "errorlist" in page_content(sent)
        assert "2026-13-40" in page_content(sent)
        again = page_content(client.get(url))
        assert "errorlist" not in again
        assert again == _built_afresh(client, url, settings)


def test_the_forms_follow_the_day(client, settings, time_machine):
    time_machine.shift(24 * 60 * 60)
    for url in (PACKS, SUMMARIES):
        assert page_content(client.get(url)) == _built_afresh(client, url, settings)


def test_off_means_nothing_is_read_from_the_cache(client, practitioner, settings):
    """Control: a change the cache cannot know of (made behind the domain's back) is shown
    once caching is off, and not before."""
    Entry.objects.filter(owner=practitioner).delete()
    assert "(1 complete)" in page_content(client.get(PACKS))
    assert "(0 complete)" in _built_afresh(client, PACKS, settings)


def test_a_cached_form_still_posts_after_a_new_login(practitioner, settings):
    """Its CSRF token is masked from the browser's secret, which a login renews: the
    fragment is keyed on the secret, so the new login gets a form it can send."""
    from django.test import Client

    settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    client.get(SUMMARIES)
    client.logout()
    client.force_login(practitioner)
    html = client.get(SUMMARIES).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    sent = client.post(SUMMARIES, {"period": "current_year", "csrfmiddlewaretoken": token})
    assert sent.status_code == 302
