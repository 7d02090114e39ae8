"""Telling people what happened: a row in their in-app list, and an email owed in the same
transaction (core.outbox), sent by a worker once the change that caused it is committed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_ending_in
from core.outbox import about_key, owe_email
from core.site import absolute_url, email_context, email_subject

from .access import readable_submissions
from .models import Notification, NotificationKind, Submission

NOTIFICATIONS_PAGE_SIZE = 20
# What a submission's notifications are about, as the grouped row counts them.
SUBMISSION_KINDS = {
    NotificationKind.COMMENT: ("comment", "comments"),
    NotificationKind.SUBMISSION: ("version", "versions"),
    NotificationKind.DECISION: ("decision", "decisions"),
}


def notify(
    users: Iterable,
    *,
    kind: NotificationKind,
    text: str,
    url: str,
    submission: Submission | None = None,
    email: bool = True,
) -> list[Notification]:
    """Add a notification to each user's list and, unless ``email`` is off, owe each an email
    of it (core.outbox), sent once the current transaction commits: a rolled-back action
    sends nothing, and a committed one is emailed even if the broker loses the message.
    ``submission``: the one it is about, if any, which groups it with the others about it."""
    with transaction.atomic():
        notifications = [
            Notification.objects.create(
                user=user, kind=kind, text=text[:300], url=url, submission=submission
            )
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


def mark_submission_read(user, submission: Submission) -> int:
    """Everything ``user`` was told about ``submission``, read now that she opened it: one
    UPDATE, served by the notification_submission_idx index."""
    return (
        Notification.objects.for_user(user)
        .unread()
        .filter(submission=submission)
        .update(read_at=timezone.now())
    )


@dataclass(frozen=True)
class NotificationRow:
    """One row of the notifications page: every notification about one submission, or one
    notification about nothing in particular."""

    latest: Notification  # the newest of the row, whose text and time it shows
    unread: int
    summary: str  # "Alex Morgan’s CPD year 2025–26: 3 new comments, 1 new version"; "" alone
    url: str  # "" for a submission the viewer may no longer open


def notification_page(user, number: str | None) -> Page:
    """A page of ``user``'s notifications, newest first, one row per submission: grouped and
    counted in the database, then the newest notification of each row on the page read in one
    more query, so the page costs the same however many notifications there are."""
    # A notification about no submission is a group of its own (its negated id).
    groups = (
        Notification.objects.for_user(user)
        .annotate(group=Coalesce(F("submission_id"), -F("pk")))
        .values("group")
        .annotate(
            latest_at=Max("created_at"),
            latest_pk=Max("pk"),
            unread=Count("pk", filter=Q(read_at__isnull=True)),
            **{
                f"{prefix}_{kind}": Count("pk", filter=Q(kind=kind, **only))
                for kind in SUBMISSION_KINDS
                for prefix, only in (("new", {"read_at__isnull": True}), ("all", {}))
            },
        )
        .order_by("-latest_at", "-latest_pk")
    )
    page = Paginator(groups, NOTIFICATIONS_PAGE_SIZE).get_page(number)
    latest = (
        Notification.objects.for_user(user)
        .select_related("submission__membership__student")
        .in_bulk([group["latest_pk"] for group in page.object_list])
    )
    # A student may stop sharing after her leader was told of her submission: its row stays,
    # without a link that would answer 404. One query for the page's submissions.
    on_page = [group["group"] for group in page.object_list if group["group"] > 0]
    readable = set(readable_submissions(user).filter(pk__in=on_page).values_list("pk", flat=True))
    page.object_list = [
        _row(user, group, latest[group["latest_pk"]], readable) for group in page.object_list
    ]
    return page


def _row(user, group: dict, latest: Notification, readable: set[int]) -> NotificationRow:
    if latest.submission is None:
        return NotificationRow(latest, group["unread"], "", latest.get_absolute_url())
    prefix, new = ("new", " new") if group["unread"] else ("all", "")
    counts = ", ".join(
        f"{count}{new} {one if count == 1 else many}"
        for kind, (one, many) in SUBMISSION_KINDS.items()
        if (count := group[f"{prefix}_{kind}"])
    )
    membership = latest.submission.membership
    whose = "Your" if membership.student_id == user.pk else f"{membership.student_name}’s"
    year = cpd_year_ending_in(latest.submission.year).label
    if latest.submission_id not in readable:
        return NotificationRow(
            latest, group["unread"], f"{whose} CPD year {year}: {counts} (no longer shared)", ""
        )
    return NotificationRow(
        latest,
        group["unread"],
        f"{whose} CPD year {year}: {counts}",
        latest.submission.get_absolute_url(),
    )
