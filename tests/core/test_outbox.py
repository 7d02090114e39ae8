"""Emails owed are rows: recorded with the change that owes them, owed once, sent once on
commit, and sent by the sweep, once, when their message or their sender was lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import outbox
from core.models import OutgoingEmail
from core.outbox import owe_email, send_outgoing_email, send_unsent_emails


def owe(recipient: str = "alex@example.org", about: str = "packs.evidencepack:1") -> bool:
    return owe_email(
        kind="pack_ready", about=about, recipient=recipient, subject="Ready", body="Your pack."
    )


def test_an_email_is_owed_once_and_sent_on_commit(
    db, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(outbox, "_enqueue", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert owe() is True
        assert owe() is False  # the same kind, object and recipient
        assert owe(recipient="jo@example.org") is True
    email = OutgoingEmail.objects.get(recipient="alex@example.org")
    assert len(sent) == 2 and email.pk in sent

    assert send_outgoing_email(email.pk) is True
    assert send_outgoing_email(email.pk) is False  # a redelivered task
    assert [m.to for m in mailoutbox] == [["alex@example.org"]]
    email.refresh_from_db()
    assert email.sent_at is not None
    assert (email.attempts, email.body) == (1, "")


def test_the_database_refuses_a_second_row_for_the_same_email(db):
    owe()
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEmail.objects.create(
            kind="pack_ready", about="packs.evidencepack:1", recipient="alex@example.org"
        )


def test_nothing_is_owed_when_the_change_rolls_back(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        owe()
        raise RuntimeError

    assert callbacks == []
    assert not OutgoingEmail.objects.exists()


def test_the_sweep_sends_an_email_whose_message_was_lost_once(db, settings, mailoutbox):
    settings.EMAIL_RESEND_AFTER_SECONDS = 600
    owe()  # its task's message never arrives
    now = timezone.now()

    assert send_unsent_emails(now) == 0  # too soon: its message may be on its way
    later = now + dt.timedelta(minutes=11)
    assert send_unsent_emails(later) == 1
    assert send_unsent_emails(later) == 0
    assert len(mailoutbox) == 1


def test_an_email_held_by_a_sender_that_died_is_sent_by_the_sweep(db, settings, mailoutbox):
    settings.EMAIL_RESEND_AFTER_SECONDS = 600
    owe()
    email = OutgoingEmail.objects.get()
    claimed_at = timezone.now() - dt.timedelta(minutes=5)
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=claimed_at, attempts=1)
    later = timezone.now() + dt.timedelta(minutes=11)

    assert send_outgoing_email(email.pk) is False  # still held, as far as anyone can tell
    assert send_unsent_emails(later) == 1
    assert len(mailoutbox) == 1


def test_a_failed_send_is_tried_again_then_given_up(db, settings, monkeypatch):
    settings.EMAIL_RESEND_AFTER_SECONDS = 0
    settings.WORK_MAX_ATTEMPTS = 2
    owe()
    email = OutgoingEmail.objects.get()

    def refused(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", refused)
    with pytest.raises(ConnectionRefusedError):
        send_outgoing_email(email.pk)
    later = timezone.now() + dt.timedelta(seconds=1)
    assert send_unsent_emails(later) == 0
    assert send_unsent_emails(later) == 0
    email.refresh_from_db()
    assert (email.attempts, email.sent_at, email.claimed_at) == (2, None, None)


def test_an_html_alternative_is_sent_with_the_text_then_forgotten(db, mailoutbox):
    owe_email(
        kind="notice",
        about="accounts.user:1",
        recipient="alex@example.org",
        subject="Hello",
        body="Plain words.",
        html_body="<p>Plain words.</p>",
    )
    email = OutgoingEmail.objects.get()

    assert send_outgoing_email(email.pk) is True
    (message,) = mailoutbox
    assert message.body == "Plain words."
    assert message.alternatives == [("<p>Plain words.</p>", "text/html")]
    email.refresh_from_db()
    assert (email.body, email.html_body) == ("", "")
