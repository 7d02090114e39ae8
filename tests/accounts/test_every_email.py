"""Every email the site sends names the site by settings.SITE_NAME and links only on
settings.SITE_URL, in both its parts, whichever host the request that caused it came in by."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingEmail
from core.site import email_subject, shortened
from packs.building import owe_ready_email
from packs.models import EvidencePack
from programmes import invitations
from programmes.models import NotificationKind
from programmes.notifications import notify
from tests.factories import PASSWORD
from tests.programmes.conftest import make_cohort

SITE_URL = "https://cpd.example.org"
URL = re.compile(r"https?://[^\s\"'<>)]+")

# allauth's security notices, sent when ACCOUNT_EMAIL_NOTIFICATIONS is on (and MFA's always).
NOTICES = [
    ("account/email/email_changed", {"from_email": "a@example.org", "to_email": "b@example.org"}),
    ("account/email/email_confirm", {}),
    ("account/email/email_deleted", {"deleted_email": "old@example.org"}),
    ("account/email/password_changed", {}),
    ("account/email/password_set", {}),
    ("mfa/email/recovery_codes_generated", {}),
    ("mfa/email/totp_activated", {}),
    ("mfa/email/totp_deactivated", {}),
    ("mfa/email/webauthn_added", {}),
    ("mfa/email/webauthn_removed", {}),
]

EVERY_KIND = {
    "email_confirmation_signup",
    "account_already_exists",
    "password_reset_key",
    "unknown_account",
    "email_confirmation",
    *(prefix.rsplit("/", 1)[1] for prefix, _ in NOTICES),
    "invitation",
    "notification",
    "pack_ready",
}


@pytest.fixture
def the_site(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "CPD Portal"
    return settings


def send_every_email(client, client_for, programme_leader, practitioner) -> None:
    """Cause each email the site sends, through the pages and functions that send them."""
    signup = {"display_name": "Nia", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("account_signup"), signup | {"email": "nia@example.org"})
    client.post(reverse("account_signup"), signup | {"email": practitioner.email})
    client.post(reverse("account_reset_password"), {"email": practitioner.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    client_for(practitioner).post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )
    request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox", REMOTE_ADDR="203.0.113.7")
    with allauth_context.request_context(request):
        for prefix, context in NOTICES:
            get_adapter().send_notification_mail(prefix, practitioner, context)

    cohort = make_cohort(programme_leader, "Advanced practice MSc")
    invitations.invite(
        cohort,
        invitations.read_pasted_addresses("Alice <alice@example.net>"),
        invited_by=programme_leader,
    )
    notify(
        [practitioner],
        kind=NotificationKind.REMINDER,
        text="Your CPD year ends in 30 days.",
        url=reverse("portfolio:dashboard"),
    )
    evidence_pack = EvidencePack.objects.create(
        owner=practitioner,
        period_start=dt.date(2025, 12, 1),
        period_end=dt.date(2026, 11, 30),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    owe_ready_email(evidence_pack.pk)


def test_every_email_names_the_site_and_links_only_on_its_address(
    the_site, client, client_for, programme_leader, practitioner, settings
):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    send_every_email(client, client_for, programme_leader, practitioner)

    emails = list(OutgoingEmail.objects.all())
    assert {email.kind for email in emails} >= EVERY_KIND
    for email in emails:
        assert email.subject.startswith("[CPD Portal] "), email.kind
        for part in filter(None, [email.body, email.html_body]):
            assert "CPD Portal" in part, email.kind
            assert f"{SITE_URL}/" in part, email.kind  # the site's address, at the foot
            links = URL.findall(part)
            assert links and all(link.startswith(SITE_URL + "/") for link in links), (
                email.kind,
                links,
            )
            for stray in ("127.0.0.1", "example.com", "testserver", "localhost", "Hello from"):
                assert stray not in part, (email.kind, stray)


def test_an_html_part_links_on_the_site_too(the_site, client, practitioner, settings, tmp_path):
    """allauth sends an HTML part when a *_message.html template exists: it gets the same
    site name and links as the text part."""
    import copy

    html = tmp_path / "account" / "email" / "password_reset_key_message.html"
    html.parent.mkdir(parents=True)
    html.write_text('<p>{{ site_name }}: <a href="{{ password_reset_url }}">reset</a></p>')
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates

    client.post(reverse("account_reset_password"), {"email": practitioner.email})

    (email,) = OutgoingEmail.objects.all()
    assert email.html_body.startswith(f'<p>CPD Portal: <a href="{SITE_URL}/accounts/password/')


def test_a_comment_email_subject_is_shortened_at_a_word_boundary(
    the_site, programme_leader, practitioner
):
    text = (
        "Dr Sam Patel commented on “Reflecting on the Care Act 2014 safeguarding duties in "
        "adult social care” of CPD year 2025 to 2026."
    )
    notify([practitioner], kind=NotificationKind.COMMENT, text=text, url="/programmes/")

    subject = OutgoingEmail.objects.get(kind="notification").subject
    assert subject == (
        "[CPD Portal] Dr Sam Patel commented on “Reflecting on the Care Act 2014 safeguarding "
        "duties in adult…"
    )
    assert text.startswith(subject.removeprefix("[CPD Portal] ").removesuffix("…"))


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("two  words\nhere", 20, "two words here"),
        ("alpha beta gamma", 12, "alpha beta…"),
        ("alpha beta gamma", 11, "alpha beta…"),
        ("alpha, beta gamma", 10, "alpha…"),
        ("supercalifragilistic", 8, "superca…"),
    ],
)
def test_shortened(text, limit, expected):
    assert shortened(text, limit) == expected
    assert len(shortened(text, limit)) <= limit


def test_email_subject_is_prefixed(the_site):
    assert email_subject("Hello\nthere") == "[CPD Portal] Hello there"
