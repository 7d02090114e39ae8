"""`manage.py check --deploy --fail-level WARNING` passes in the production configuration of
the README, and warns when any part of it is missing: Django's own checks and ours
(core/checks.py). Each case is a fresh process, as settings are read once at start."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings

from tests.deploy.production_env import process_environment


def check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=process_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_production_configuration_passes():
    result = check_deploy()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "warnings"),
    [
        # Served over plain http: no redirect, no Secure cookies, http in emailed links.
        (
            {"DJANGO_HTTPS": "0"},
            {"security.W004", "security.W008", "security.W012", "security.W016", "core.W003"},
        ),
        # A laptop's settings, each warned about on its own (one process for them all).
        (
            {
                "SITE_URL": "http://cpd.example.org",
                "SECURE_HSTS_PRELOAD": "0",
                "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
                "DATABASE_URL": "sqlite:///cpd.sqlite3",
                "REDIS_URL": "",
                "LINK_CHECK_ALLOW_PRIVATE": "1",
            },
            {"core.W002", "security.W021", "core.W004", "core.W005", "core.W006", "core.W007"},
        ),
    ],
    ids=["plain-http", "laptop-settings"],
)
def test_each_unsafe_setting_is_warned_about(overrides, warnings):
    result = check_deploy(**overrides)

    assert result.returncode == 1
    assert {w for w in warnings if f"({w})" not in result.stderr} == set(), result.stderr


def test_without_a_secret_key_production_refuses_to_start():
    result = check_deploy(DJANGO_SECRET_KEY="")

    assert result.returncode == 1
    assert "Set DJANGO_SECRET_KEY in production." in result.stderr


def test_the_development_key_is_warned_about():
    result = check_deploy(DJANGO_SECRET_KEY="", DJANGO_REQUIRE_SECRET_KEY="0")

    assert "(core.W001)" in result.stderr
