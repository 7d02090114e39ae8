"""Where every rate limit finds the client: the connection's address, or, behind proxies named
in settings, the entry the outermost trusted proxy appended to their header, never one the
client wrote itself. Checked through the function and through allauth's log-in limit and the
API's anonymous throttle, which count by it."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from core.client_address import client_address

PROXY = "10.0.0.5"
XFF = "HTTP_X_FORWARDED_FOR"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_HEADER = XFF
    settings.TRUSTED_PROXY_COUNT = 1


def address_of(**meta) -> str:
    return client_address(RequestFactory().get("/", REMOTE_ADDR=PROXY, **meta))


@pytest.mark.parametrize(
    ("forwarded", "proxies", "client"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the left-most was the client's own
        ("6.6.6.6, 203.0.113.7, 10.0.0.9", 2, "203.0.113.7"),  # a balancer, then nginx
        ("203.0.113.7:51234", 1, "203.0.113.7"),  # some proxies add the port
        ("[2001:db8::7]:443", 1, "2001:db8::7"),
        ("2001:db8::7", 1, "2001:db8::7"),
        ("not-an-address", 1, PROXY),
        ("", 1, PROXY),
        ("203.0.113.7", 2, PROXY),  # fewer entries than proxies: it came round them
    ],
)
def test_the_client_is_the_entry_the_outermost_trusted_proxy_appended(
    settings, forwarded, proxies, client
):
    settings.TRUSTED_PROXY_HEADER = XFF
    settings.TRUSTED_PROXY_COUNT = proxies
    assert address_of(**{XFF: forwarded}) == client


def test_without_the_setting_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HEADER = ""
    assert address_of(**{XFF: "203.0.113.7"}) == PROXY


def test_another_header_can_be_named(settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    settings.TRUSTED_PROXY_COUNT = 1
    assert address_of(HTTP_X_REAL_IP="203.0.113.7", **{XFF: "6.6.6.6"}) == "203.0.113.7"


# --- allauth's log-in limit --------------------------------------------------------------------


def failed_login(forwarded: str) -> int:
    response = Client(REMOTE_ADDR=PROXY).post(
        reverse("account_login"),
        {"login": "nobody@example.org", "password": "wrong"},
        **{XFF: forwarded},
    )
    return response.status_code


@pytest.fixture
def one_login_a_minute(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}


@pytest.mark.usefixtures("one_login_a_minute", "behind_one_proxy")
def test_two_people_behind_one_proxy_have_their_own_login_limit(db):
    assert failed_login("203.0.113.7") == 200
    assert failed_login("198.51.100.8") == 200
    assert failed_login("198.51.100.8") == 429


@pytest.mark.usefixtures("one_login_a_minute", "behind_one_proxy")
def test_a_made_up_left_most_entry_does_not_buy_another_login(db):
    assert failed_login("1.1.1.1, 203.0.113.7") == 200
    assert failed_login("2.2.2.2, 203.0.113.7") == 429


@pytest.mark.usefixtures("one_login_a_minute")
def test_without_the_setting_everyone_behind_the_proxy_shares_one_limit(db, settings):
    settings.TRUSTED_PROXY_HEADER = ""
    assert failed_login("203.0.113.7") == 200
    assert failed_login("198.51.100.8") == 429


# --- The API's anonymous throttle ------------------------------------------------------------


def anonymous_call(forwarded: str) -> int:
    return APIClient(REMOTE_ADDR=PROXY).get("/api/schema/", **{XFF: forwarded}).status_code


@pytest.fixture
def one_anonymous_call_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "100/minute", "token": "100/minute"},
    }


@pytest.mark.usefixtures("one_anonymous_call_a_minute", "behind_one_proxy")
def test_two_people_behind_one_proxy_have_their_own_api_budget(db):
    assert [anonymous_call("203.0.113.7"), anonymous_call("198.51.100.8")] == [200, 200]
    assert anonymous_call("6.6.6.6, 198.51.100.8") == 429


@pytest.mark.usefixtures("one_anonymous_call_a_minute")
def test_without_the_setting_the_api_counts_the_proxy(db, settings):
    settings.TRUSTED_PROXY_HEADER = ""
    assert [anonymous_call("203.0.113.7"), anonymous_call("198.51.100.8")] == [200, 429]
