"""A link shared by the bookmarklet or a phone's Share menu opens a capture card filled in:
title, link, and a guess at type and platform, saved as a draft in one tap, with the full
activity form one tap away. Only web links get through."""

from __future__ import annotations

import uuid
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
    assert initial["title"] == "Worth a read"  # the colon joined it to the link
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


def test_the_link_page_opens_a_capture_card_filled_in(practitioner, client_for):
    response = client_for(practitioner).get(link_page(url=THREAD, title="A thread"))
    assert response.status_code == 200
    assert response.templates[0].name == "capture/card.html"
    html = response.content.decode()
    assert 'value="A thread"' in html
    assert f'value="{THREAD}"' in html
    assert '<option value="tweet_read" selected>' in html
    # "Save as draft" is the card's first button; the full form is one tap away, carrying the
    # same link and title.
    form_html = html[html.index('id="capture-card"') :]
    first_button = form_html[form_html.index("<button") :]
    assert first_button[: first_button.index("</button>")].endswith("Save as draft")
    assert form_html.index("Save as draft") < form_html.index("Add reflections now")
    full_form = response.context["full_form_url"]
    assert (
        full_form
        == f"{reverse('portfolio:entry_create')}?{urlencode({'url': THREAD, 'title': 'A thread'})}"
    )


def test_the_full_form_opens_filled_in_from_the_cards_link(practitioner, client_for):
    client = client_for(practitioner)
    card = client.get(link_page(url=THREAD, title="A thread"))
    response = client.get(card.context["full_form_url"])
    assert response.templates[0].name == "portfolio/entry_form.html"
    html = response.content.decode()
    assert 'value="A thread"' in html and f'value="{THREAD}"' in html
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


def card_fields(**changes) -> dict:
    fields = {
        "client_id": str(uuid.uuid4()),
        "title": "A thread",
        "url": THREAD,
        "activity_type": ActivityType.TWEET_READ,
        "occurred_on": "2026-03-10",
    }
    return {**fields, **changes}


def test_saving_the_card_saves_a_draft_once_and_shows_it(practitioner, client_for):
    client = client_for(practitioner)
    fields = card_fields()
    response = client.post(link_page(url=THREAD, title="A thread"), fields)
    entry = Entry.objects.for_user(practitioner).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("capture:saved", args=[entry.pk])
    assert (entry.title, entry.url, entry.status) == ("A thread", THREAD, Status.DRAFT)
    assert (entry.activity_type, entry.platform) == (ActivityType.TWEET_READ, Platform.X)
    # Tapped twice on a slow connection: still one draft.
    again = client.post(link_page(url=THREAD, title="A thread"), fields)
    assert again["Location"] == response["Location"]
    assert Entry.objects.count() == 1

    saved = client.get(response["Location"])
    html = saved.content.decode()
    assert "Saved as a draft" in html and "“A thread”" in html
    assert reverse("portfolio:entry_edit", args=[entry.pk]) in html


def test_a_bare_link_is_saved_with_the_link_as_its_title_for_now(
    practitioner, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    fetched = []
    monkeypatch.setattr(
        "capture.tasks.fetch_draft_title.delay", lambda entry_id: fetched.append(entry_id)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(practitioner).post(link_page(url=THREAD), card_fields(title=""))
    entry = Entry.objects.for_user(practitioner).get()
    assert entry.title == THREAD
    assert fetched == [entry.pk], "the page's title is fetched once the draft is committed"
    saved = client_for(practitioner).get(response["Location"])
    assert "The page's own title replaces the link" in saved.content.decode()


def test_a_card_with_problems_says_so_and_keeps_what_was_typed(practitioner, client_for):
    response = client_for(practitioner).post(
        link_page(url=THREAD), card_fields(title="", url="javascript:alert(1)")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Give it a title or a link, so you can find it again."]
    assert "url" in errors
    assert not Entry.objects.exists()


def test_a_logged_out_user_logs_in_and_comes_back_to_the_filled_card(practitioner, client):
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
    assert response.templates[0].name == "capture/card.html"
    assert response.context["form"].initial["url"] == THREAD
    assert response.context["form"].initial["title"] == "A thread"
