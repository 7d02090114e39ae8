"""Emails owed, recorded as rows (core.models.OutgoingEmail) and sent from them.

Whatever owes an email (a finished pack, an invitation, a comment on a submission) records it
with ``owe_email`` in the transaction that makes the change: rolled back, nothing is owed;
committed, a task sends it. The task's message may be lost (a Redis restart) or its worker
killed, so the periodic sweep (``send_unsent_emails``) sends whatever is still unsent a while
after it was owed. A sender claims a row with a conditional UPDATE first, so two senders never
both send it; a claim older than EMAIL_RESEND_AFTER_SECONDS belonged to a sender that died.
It is sent, then recorded as sent: a crash in between sends it twice rather than never.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def about_key(row: models.Model, *qualifiers: str) -> str:
    """How an email names the object it is about: "packs.evidencepack:<id>", and anything
    that makes it a different email about the same object."""
    return ":".join([row._meta.label_lower, str(row.pk), *qualifiers])


def _enqueue(email_id: int) -> None:
    from .tasks import send_outgoing_email  # the task module imports this one

    send_outgoing_email.delay(email_id)


def owe_email(
    *, kind: str, about: str, recipient: str, subject: str, body: str, html_body: str = ""
) -> bool:
    """Record that ``recipient`` is owed this email (with an HTML alternative if given), in
    the caller's transaction, and send it once that commits. Owed once: False, recording
    nothing, if it already was."""
    with transaction.atomic():
        email, created = OutgoingEmail.objects.get_or_create(
            kind=kind,
            about=about,
            recipient=recipient,
            defaults={"subject": subject[:200], "body": body, "html_body": html_body},
        )
    if created:
        transaction.on_commit(partial(_enqueue, email.pk))
    return created


def _resend_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.EMAIL_RESEND_AFTER_SECONDS)


def send_outgoing_email(email_id: int, now: dt.datetime | None = None) -> bool:
    """Send one owed email unless it was sent, another sender holds it, or it has used its
    attempts (WORK_MAX_ATTEMPTS). Returns whether it went out; re-raises a failure to send,
    leaving it for the task's retry or the sweep."""
    now = now or timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _resend_after())
    claimed = OutgoingEmail.objects.filter(
        claimable, pk=email_id, sent_at__isnull=True, attempts__lt=settings.WORK_MAX_ATTEMPTS
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        message = EmailMultiAlternatives(email.subject, email.body, None, [email.recipient])
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        message.send()
    except Exception:
        OutgoingEmail.objects.filter(pk=email_id, claimed_at=now).update(claimed_at=None)
        raise
    OutgoingEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), body="", html_body="")
    return True


def send_unsent_emails(now: dt.datetime) -> int:
    """Send, once each, the emails still unsent EMAIL_RESEND_AFTER_SECONDS after they were
    owed: their message or their sender was lost. Returns how many went out."""
    due = OutgoingEmail.objects.filter(
        sent_at__isnull=True, created_at__lt=now - _resend_after()
    ).values_list("pk", flat=True)
    sent = 0
    for email_id in due.iterator():
        try:
            sent += send_outgoing_email(email_id, now)
        except Exception:
            logger.warning("Could not send owed email %s", email_id, exc_info=True)
    return sent
