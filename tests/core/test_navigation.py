"""The main navigation marks the page you are on, and only that one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("portfolio:dashboard", "Dashboard"),
        ("portfolio:entry_list", "My log"),
        ("summaries:list", "Summaries"),
        ("packs:list", "Evidence packs"),
        ("resources:resource_list", "Library"),
        ("resources:event_list", "Events"),
    ],
)
def test_the_main_navigation_marks_the_current_page(practitioner, client_for, url_name, label):
    html = client_for(practitioner).get(reverse(url_name)).content.decode()

    # The desktop's row and the phone's bar (with its menu) alike.
    for kind in ("desktop-nav", "phone-nav"):
        main_nav = html.split(f'<nav aria-label="Main" class="{kind}">', 1)[1].split("</nav>")[0]
        assert CURRENT.findall(main_nav) == [(reverse(url_name), label)], kind


def test_a_section_stays_current_on_its_other_pages(practitioner, client_for):
    html = client_for(practitioner).get(reverse("resources:list_index")).content.decode()

    assert '<a href="/library/lists/" aria-current="page">Curated lists</a>' in html
    assert '<a href="/library/" aria-current="page">All resources</a>' not in html
