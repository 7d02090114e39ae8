"""The production environment of the README (deploy/production.env.example), for tests that
start the portal's commands in it."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "production.env.example"
# The example leaves the secret key blank, for each deployment to make its own.
MADE_UP_SECRET_KEY = "made-up-for-the-tests-only-never-used-by-a-real-server-0123456789"


def example_environment() -> dict[str, str]:
    """The variables the example sets (its uncommented lines), as systemd's EnvironmentFile
    and the shell read them, with a made-up secret key."""
    variables = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            variables[name.strip()] = " ".join(shlex.split(value))
    return variables | {"DJANGO_SECRET_KEY": MADE_UP_SECRET_KEY}


def process_environment(**overrides: str) -> dict[str, str]:
    """A whole environment for a subprocess: only the example's variables and these, so nothing
    of the test run's own (DJANGO_HTTPS=0, its database) leaks in unless given."""
    return {"PATH": os.environ["PATH"], **example_environment(), **overrides}
