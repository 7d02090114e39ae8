"""The 403, 404 and 500 pages are the site's own: its styles, its navigation and a way back."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

DESKTOP_NAV = '<nav aria-label="Main" class="desktop-nav">'
PHONE_NAV = '<nav aria-label="Main" class="phone-nav">'


def assert_styled_with_navigation(html: str) -> None:
    assert '<link rel="stylesheet" href="/static/app.' in html
    assert DESKTOP_NAV in html and PHONE_NAV in html


def test_a_missing_page_is_styled_with_the_signed_in_navigation(practitioner, client_for):
    response = client_for(practitioner).get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert_styled_with_navigation(html)
    assert ">Log out</button>" in html
    dashboard = reverse("portfolio:dashboard")
    assert f'<a href="{dashboard}" role="button">Back to your dashboard' in html


def test_a_missing_page_signed_out_leads_home(client):
    html = client.get("/no-such-page/").content.decode()

    assert_styled_with_navigation(html)
    assert ">Log in</a>" in html
    assert f'<a href="{reverse("home")}" role="button">Back to the home page' in html


def test_a_refused_page_is_styled_with_the_navigation_and_says_why(practitioner, client_for):
    response = client_for(practitioner).get(reverse("resources:curation_home"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot open this page</h1>" in html
    assert "Curation is for the library&#x27;s curators." in html
    assert_styled_with_navigation(html)
    assert ">Log out</button>" in html
    assert "Back to your dashboard" in html


def test_an_expired_form_is_styled_with_the_navigation(practitioner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)

    response = client.post(reverse("portfolio:entry_create"), {"title": "A webinar"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Your form had expired</h1>" in html
    assert_styled_with_navigation(html)
    assert ">Log out</button>" in html


def test_a_server_error_is_styled_without_any_context(db):
    # Django renders 500.html with an empty context: no request, no user, no processors.
    response = server_error(RequestFactory().get("/dashboard/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert_styled_with_navigation(html)
    assert f'<a href="{reverse("portfolio:dashboard")}" role="button">' in html
