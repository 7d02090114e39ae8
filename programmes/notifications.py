"""Telling people what happened: a row in their in-app list, and an email owed in the same
transaction (core.outbox), sent by a worker once the change that caused it is committed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.outbox import about_key, owe_email
from core.site import absolute_url, email_context, email_subject

from .models import Notification, NotificationKind


def notify(
    users: Iterable, *, kind: NotificationKind, text: str, url: str, email: bool = True
) -> list[Notification]:
    """Add a notification to each user's list and, unless ``email`` is off, owe each an email
    of it (core.outbox), sent once the current transaction commits: a rolled-back action
    sends nothing, and a committed one is emailed even if the broker loses the message."""
    with transaction.atomic():
        notifications = [
            Notification.objects.create(user=user, kind=kind, text=text[:300], url=url)
            for user in users
        ]
        if email:
            for notification in notifications:
                _owe_email(notification)
    return notifications


def _owe_email(notification: Notification) -> None:
    body = render_to_string(
        "programmes/email/notification.txt",
        email_context()
        | {
            "notification": notification,
            "link": absolute_url(notification.url),
            "profile_link": absolute_url(reverse("accounts:profile")),
        },
    )
    owe_email(
        kind="notification",
        about=about_key(notification),
        recipient=notification.user.email,
        subject=email_subject(notification.text),
        body=body,
    )


def mark_all_read(user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
