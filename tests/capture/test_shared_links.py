"""A link shared by the bookmarklet or a phone's Share menu opens the activity form filled in:
title, link, and a guess at type and platform. Only web links get through."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from capture.quick_capture import bookmarklet, initial_from_shared_link
from portfolio.models import ActivityType, Entry, Platform, Status
from tests.factories import PASSWORD
from tests.resources.factories import make_resource

THREAD = "https://x.com/SWSCmedia/status/1780000000000000000"


def test_a_link_and_its_title_with_a_guessed_type():
    assert initial_from_shared_link({"url": THREAD, "title": "  A thread on\nsupervision "}) == {
        "title": "A thread on supervision",
        "url": THREAD,
        "activity_type": ActivityType.TWEET_READ,
        "platform": Platform.X,
    }


def test_a_link_inside_the_shared_text_as_phones_send_it():
    initial = initial_from_shared_link(
        {"text": "Worth a read: https://amhpnotes.substack.com/p/capacity."}
    )
    assert initial["url"] == "https://amhpnotes.substack.com/p/capacity"
    assert initial["title"] == "Worth a read:"
    assert (initial["activity_type"], initial["platform"]) == (
        ActivityType.BLOG_READ,
        Platform.BLOG,
    )


def test_the_title_wins_over_the_text_and_a_bad_url_falls_back_to_the_text():
    initial = initial_from_shared_link(
        {"url": "not a link", "title": "Capacity", "text": "see https://example.org/blog/x"}
    )
    assert (initial["title"], initial["url"]) == ("Capacity", "https://example.org/blog/x")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.org/report.pdf",
        "https://example.org/" + "a" * 500,  # longer than an entry's link can be
    ],
)
def test_only_web_links_are_kept(url):
    assert initial_from_shared_link({"url": url, "title": "Something"}) == {"title": "Something"}
    assert "url" not in initial_from_shared_link({"text": f"look {url}"})


def test_an_overlong_title_is_trimmed_to_what_an_entry_holds():
    assert len(initial_from_shared_link({"title": "word " * 100})["title"]) == 200


def test_nothing_shared_opens_a_blank_form():
    assert initial_from_shared_link({}) == {}
    assert initial_from_shared_link({"title": "   ", "url": "javascript:void(0)"}) == {}


def test_the_bookmarklet_opens_the_link_page_with_the_page_address_and_title():
    code = bookmarklet("https://cpd.example.org/capture/link/")
    assert code.startswith("javascript:")
    assert '"https://cpd.example.org/capture/link/?url="' in code
    assert "encodeURIComponent(location.href)" in code
    assert "encodeURIComponent(document.title)" in code
    # Browsers percent-decode a javascript: address before running it, so a % is written %25.
    assert '"https://example.org/100%25/?url="' in bookmarklet("https://example.org/100%/")


def link_page(**params) -> str:
    return f"{reverse('capture:link')}?{urlencode(params)}"


def test_the_link_page_opens_the_entry_form_filled_in(practitioner, client_for):
    response = client_for(practitioner).get(link_page(url=THREAD, title="A thread"))
    assert response.status_code == 200
    assert response.templates[0].name == "portfolio/entry_form.html"
    html = response.content.decode()
    assert 'value="A thread"' in html
    assert f'value="{THREAD}"' in html
    assert '<option value="tweet_read" selected>' in html
    assert '<option value="x" selected>' in html


def test_a_hostile_title_is_shown_as_text(practitioner, client_for):
    response = client_for(practitioner).get(
        link_page(url="javascript:alert(1)", title='"><script>alert(1)</script>')
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:alert(1)" not in html
    assert response.context["form"].initial.get("url") is None


def test_a_library_resource_still_fills_the_form_from_the_library(practitioner, client_for):
    resource = make_resource(title="The Care Act guidance")
    response = client_for(practitioner).get(
        reverse("portfolio:entry_create"), {"resource": resource.pk, "title": "Ignored"}
    )
    assert response.context["form"].initial["title"] == "The Care Act guidance"


def test_saving_from_the_link_page_saves_the_entry(practitioner, client_for):
    response = client_for(practitioner).post(
        link_page(url=THREAD, title="A thread"),
        {
            "title": "A thread",
            "url": THREAD,
            "activity_type": ActivityType.TWEET_READ,
            "platform": Platform.X,
            "occurred_on": "2026-03-10",
            "action": "draft",
        },
    )
    entry = Entry.objects.for_user(practitioner).get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.title, entry.url, entry.status) == ("A thread", THREAD, Status.DRAFT)


def test_a_logged_out_user_logs_in_and_comes_back_to_the_filled_form(practitioner, client):
    shared = link_page(url=THREAD, title="A thread")
    response = client.get(shared)
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == reverse("account_login")
    assert parse_qs(login.query)["next"] == [shared]  # the query survives the trip

    response = client.post(
        response["Location"], {"login": practitioner.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == shared
    response = client.get(response["Location"])
    assert response.context["form"].initial["url"] == THREAD
