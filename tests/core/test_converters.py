"""Every id in a URL is one the database can hold: a number of 2**63 or more is not found
(404), and the largest that matches reaches the views without an error."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

HUGE = str(2**70)  # 1180591620717411303424: the fuzzing on 1 December gave a 500 for it
LARGEST = "9" * 18  # the longest id the converter takes, still below 2**63


def _routes(patterns, prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<id:" in route:
            routes.append(route)
    return routes


ROUTES = _routes(get_resolver().url_patterns)


def _address(route: str, number: str) -> str:
    path = re.sub(r"<id:\w+>", number, route)
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", path)
    return "/" + re.sub(r"<(?:str|slug):\w+>", "x", path).lstrip("^")


def test_every_id_in_a_url_uses_the_converter():
    assert len(ROUTES) >= 40
    assert not [r for r in _routes(get_resolver().url_patterns) if "<int:" in r]


@pytest.mark.parametrize("route", ROUTES)
def test_an_id_too_large_for_the_database_is_not_found(route, practitioner, client_for):
    client = client_for(practitioner)
    assert client.get(_address(route, HUGE)).status_code == 404
    assert client.get(_address(route, LARGEST)).status_code in (302, 400, 403, 404, 405)
