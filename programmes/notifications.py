"""Telling people what happened: a row in their in-app list, and an email sent by a worker once
the change that caused it is committed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Notification, NotificationKind


def _enqueue_email(notification_id: int) -> None:
    from .tasks import email_notification  # the task module imports this one

    email_notification.delay(notification_id)


def notify(
    users: Iterable, *, kind: NotificationKind, text: str, url: str, email: bool = True
) -> list[Notification]:
    """Add a notification to each user's list and, unless ``email`` is off, email it to them
    after the current transaction commits (so a rolled-back action sends nothing)."""
    notifications = [
        Notification.objects.create(user=user, kind=kind, text=text[:300], url=url)
        for user in users
    ]
    if email:
        for notification in notifications:
            transaction.on_commit(lambda pk=notification.pk: _enqueue_email(pk))
    return notifications


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def email_subject(text: str) -> str:
    """One line, prefixed as the site's other emails are."""
    line = " ".join(text.split())
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + (line if len(line) <= 90 else line[:89] + "…")


def send_notification_email(notification_id: int) -> bool:
    """Email one notification, once: a retried or repeated task finds it already sent.
    Returns whether an email went out."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        body = render_to_string(
            "programmes/email/notification.txt",
            {
                "notification": notification,
                "link": absolute_url(notification.url),
                "profile_link": absolute_url(reverse("accounts:profile")),
            },
        )
        send_mail(email_subject(notification.text), body, None, [notification.user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def mark_all_read(user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
