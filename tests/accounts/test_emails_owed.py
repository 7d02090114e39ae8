"""allauth's emails are owed through the outbox (accounts/adapter.py), not sent in the request:
a worker on the light queue sends them, each one, with its HTML alternative when it has one."""

from __future__ import annotations

import copy
import re

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import OutgoingEmail
from tests.factories import make_user

# On the site's own address, whichever host the request came in by ("testserver" here).
RESET_LINK = re.compile(re.escape(settings.SITE_URL) + r"/accounts/password/reset/key/\S+/")


@pytest.fixture
def forgetful(db):
    return make_user("forgetful@example.org")


def test_a_password_reset_is_owed_not_sent_in_the_request(client, forgetful, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": forgetful.email})

    assert mailoutbox == []
    owed = OutgoingEmail.objects.get()
    assert (owed.kind, owed.recipient, owed.sent_at) == (
        "password_reset_key",
        "forgetful@example.org",
        None,
    )
    assert owed.subject.startswith("[CPD Portal] ")
    assert RESET_LINK.search(owed.body)


def test_two_resets_are_two_emails_each_sent_once(client, forgetful, mailoutbox, send_owed_emails):
    client.post(reverse("account_reset_password"), {"email": forgetful.email})
    client.post(reverse("account_reset_password"), {"email": forgetful.email})

    assert send_owed_emails() == 2
    assert send_owed_emails() == 0
    assert [m.to for m in mailoutbox] == [[forgetful.email]] * 2
    assert all(RESET_LINK.search(m.body) for m in mailoutbox)
    assert set(OutgoingEmail.objects.values_list("body", flat=True)) == {""}  # links forgotten


def test_an_html_template_is_sent_as_the_alternative(
    client, forgetful, mailoutbox, send_owed_emails, settings, tmp_path
):
    html = tmp_path / "account" / "email" / "password_reset_key_message.html"
    html.parent.mkdir(parents=True)
    html.write_text("<p>Reset it here: {{ password_reset_url }}</p>")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates

    client.post(reverse("account_reset_password"), {"email": forgetful.email})
    send_owed_emails()

    (message,) = mailoutbox
    assert RESET_LINK.search(message.body)
    ((alternative, kind),) = message.alternatives
    assert kind == "text/html"
    assert alternative.startswith(f"<p>Reset it here: {settings.SITE_URL}/accounts/password/reset/")
