"""What `manage.py check --deploy` warns about beyond Django's own checks: settings that are
fine on a laptop and unsafe, or quietly broken, in production. Registered in CoreConfig.ready."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

DEVELOPMENT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - what to refuse
# Backends that send nothing: a password reset or an invitation would never arrive.
UNSENT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_production_settings(app_configs=None, **kwargs) -> list[CheckMessage]:
    warnings = []
    if settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        warnings.append(
            Warning(
                "SECRET_KEY is the development key written in the settings: anyone can sign "
                "sessions and password-reset links with it.",
                hint="Set DJANGO_SECRET_KEY to a long random value and DJANGO_REQUIRE_SECRET_KEY "
                "to 1.",
                id="core.W001",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        warnings.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in emails the worker sends "
                "(invitations, packs, reminders) would not use https.",
                hint="Set SITE_URL to the site's https address, e.g. https://cpd.example.org.",
                id="core.W002",
            )
        )
    if settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL != "https":
        warnings.append(
            Warning(
                "Links in verification and password-reset emails would use http.",
                hint="Leave DJANGO_HTTPS unset (or 1) in production.",
                id="core.W003",
            )
        )
    if settings.EMAIL_BACKEND in UNSENT_EMAIL_BACKENDS:
        warnings.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: no email leaves the server, so "
                "nobody can verify an address or reset a password.",
                hint="Set EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend and "
                "EMAIL_HOST (and the other EMAIL_ settings) to your mail server.",
                id="core.W004",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            Warning(
                "The database is SQLite: gunicorn's processes and the worker would lock each "
                "other out.",
                hint="Set DATABASE_URL to PostgreSQL.",
                id="core.W005",
            )
        )
    if not settings.REDIS_URL:
        warnings.append(
            Warning(
                "REDIS_URL is not set: background work runs in threads of each web process "
                "and is lost if the process stops, and each process counts rate limits and "
                "caches pages on its own.",
                hint="Set REDIS_URL, and run a Celery worker and beat.",
                id="core.W006",
            )
        )
    if settings.LINK_CHECK_ALLOW_PRIVATE:
        warnings.append(
            Warning(
                "LINK_CHECK_ALLOW_PRIVATE is on: a link in the library could make the server "
                "fetch addresses behind the firewall.",
                hint="Unset LINK_CHECK_ALLOW_PRIVATE; only tests need it.",
                id="core.W007",
            )
        )
    return warnings
