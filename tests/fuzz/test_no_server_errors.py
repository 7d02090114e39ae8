"""Hypothesis posts drawn values (huge and negative numbers, unicode, empty, very long text,
impossible dates, lists where one value is expected) to the main forms and API operations as
the user they belong to: whatever arrives, the answer is never a server error. The test client
re-raises a view's exception, so a crash fails with its traceback and the shrunk input."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .targets import TARGETS

pytestmark = pytest.mark.calendar

EXAMPLES_PER_TARGET = 40
sent = Counter()  # examples run per target, reported at the end of the run (-s)

numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 1180591620717411303424, 0, -1]),
)
text = st.one_of(
    st.text(max_size=30),
    st.just(""),
    st.builds(
        lambda c, n: c * n, st.characters(exclude_categories=["Cs"]), st.integers(500, 20_000)
    ),
    st.sampled_from(
        [
            "2026-02-30",
            "0000-00-00",
            "9999-12-31",
            "31/12/2026",
            "1e309",
            "NaN",
            "null",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "javascript:alert(1)",
            "http://[::1",
            "PCF5",
            "\u202eevil",
            "x" * 100_000,
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1)).map(str),
    numbers.map(str),
)
scalar = st.one_of(text, numbers.map(str))
form_value = st.one_of(scalar, st.lists(scalar, min_size=0, max_size=4))
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, st.floats(allow_nan=False), text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/s")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
    }


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print("\nFuzz examples run per target:", dict(sent), "total", sum(sent.values()))


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_no_drawn_input_is_a_server_error(target, world, data_strategy_runner):
    data_strategy_runner(target, world)


@pytest.fixture
def data_strategy_runner():
    def run(target, world):
        client = target.client(world)
        values = json_value if target.method.startswith("json-") else form_value

        @settings(
            max_examples=EXAMPLES_PER_TARGET,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(st.dictionaries(st.sampled_from(target.fields), values, max_size=len(target.fields)))
        def fuzz(data):
            sent[target.name] += 1
            # A savepoint each: on PostgreSQL one failed query would otherwise fail every
            # example after it, and Hypothesis could not shrink to the one that broke.
            with transaction.atomic():
                response = target.send(client, world, data)
            assert response.status_code < 500, (target.name, data)

        fuzz()

    return run
