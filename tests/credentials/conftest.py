"""The programmes world (a leader, her student's submission in review, another programme),
and that submission signed off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from programmes.access import submission_for
from programmes.review import revoke_sign_off, sign_off
from tests.programmes.conftest import world  # noqa: F401  (a fixture, used by name)

STATEMENT = "A thoughtful, well-evidenced year of learning."
SCHEMA = Path(__file__).with_name("ob_v3p0_achievementcredential_schema.json")


@pytest.fixture
def ob_schema() -> dict:
    return json.loads(SCHEMA.read_text())


@pytest.fixture
def signed(world):  # noqa: F811
    return sign_off(
        submission_for(world.leader, world.submission.pk),
        world.leader,
        name="Dr Sam Patel",
        role="Programme leader",
        signed_on=world.today,
        statement=STATEMENT,
        confirmed=True,
    )


@pytest.fixture
def revoke(world):  # noqa: F811
    def revoke_it(reason: str = "Signed off by mistake: two entries were not the student's."):
        return revoke_sign_off(
            submission_for(world.leader, world.submission.pk), world.leader, reason
        )

    return revoke_it
