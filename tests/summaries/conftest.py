"""Summaries are tested on the evidence packs' portfolio (tests/packs/conftest.py)."""

from tests.packs.conftest import portfolio  # noqa: F401 - a fixture, used by name
