"""Notifications: listed in the app for their user only, and emailed by the real Celery worker
once the action that caused them is committed; each email goes out once."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import tasks
from core.cpd_year import cpd_year_containing
from core.models import OutgoingEmail
from core.outbox import about_key, send_outgoing_email
from programmes.access import submission_for
from programmes.invitations import token_hash
from programmes.models import Invitation, Notification, NotificationKind
from programmes.notifications import notify
from programmes.review import add_comment
from tests.factories import make_entry

from .conftest import join, make_cohort, make_leader

pytestmark = pytest.mark.calendar  # notifications name the CPD year containing today

INVITE_LINK = re.compile(r"https?://\S+/invitations/(\S+)/")


def wait_for_mail(outbox, count: int, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while len(outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return list(outbox)


def settled(check, timeout: float = 20) -> bool:
    """``check()`` once it holds, or at the timeout: the worker sends an email before it
    commits that it did, so a test that has seen the email may be a moment early."""
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()


# --- Through the real worker --------------------------------------------------------------------


def test_invitation_is_emailed_by_the_worker_with_a_working_link(
    celery_worker, mailoutbox, settings, programme_leader, practitioner, client_for
):
    settings.SITE_URL = "https://cpd.example.org"
    cohort = make_cohort(programme_leader, "Advanced practice MSc")

    response = client_for(programme_leader).post(
        reverse("programmes:invite", args=[cohort.pk]), {"emails": "Alex@Example.org"}
    )

    assert response.status_code == 302  # to the overview, with what happened to each address
    (message,) = wait_for_mail(mailoutbox, 1)
    assert message.to == ["alex@example.org"]
    assert message.subject == "[CPD Portal] Invitation to join Advanced practice MSc: 2026 intake"
    link = INVITE_LINK.search(message.body)
    assert link and link[0].startswith("https://cpd.example.org/invitations/")
    invitation = Invitation.objects.get()
    assert invitation.token_hash == token_hash(link[1])
    assert link[1] not in str(Invitation.objects.values().get())  # only the hash is kept
    assert settled(lambda: OutgoingEmail.objects.get(kind="invitation").sent_at is not None)
    assert link[1] not in str(OutgoingEmail.objects.values().get())  # the sent body is gone
    # The existing user is also told in the app, without a second email.
    notification = Notification.objects.get(user=practitioner)
    assert notification.kind == NotificationKind.INVITATION
    time.sleep(0.5)
    assert len(mailoutbox) == 1


def test_submission_comment_and_decision_are_emailed_to_the_other_side(
    celery_worker, mailoutbox, programme_leader, practitioner, client_for
):
    co_leader = make_leader("co.leader@example.org", display_name="Dr Co Leader")
    cohort = make_cohort(programme_leader, "Advanced practice MSc")
    cohort.programme.leaders.add(co_leader)
    membership = join(practitioner, cohort)
    make_entry(practitioner, occurred_on=timezone.localdate())
    student, leader = client_for(practitioner), client_for(programme_leader)
    year = cpd_year_containing(timezone.localdate())
    student.post(
        reverse("programmes:submit", args=[membership.pk]),
        {f"submit-{membership.pk}-year": str(year.end.year)},
    )
    submitted = wait_for_mail(mailoutbox, 2)
    assert sorted(m.to[0] for m in submitted) == ["co.leader@example.org", "leader@example.org"]
    assert all("submitted CPD year" in m.subject for m in submitted)

    submission = membership.submissions.get()
    leader.post(reverse("programmes:comment_create", args=[submission.pk]), {"text": "Good."})
    leader.post(reverse("programmes:request_changes", args=[submission.pk]), {"text": "Add more."})
    emails = wait_for_mail(mailoutbox, 4)[2:]

    assert [m.to for m in emails] == [["alex@example.org"], ["alex@example.org"]]
    assert "commented on the whole submission" in emails[0].subject
    assert "asked for changes" in emails[1].subject
    assert submission.get_absolute_url() in emails[1].body
    assert settled(lambda: not OutgoingEmail.objects.filter(sent_at=None).exists())


# --- Emailing once -----------------------------------------------------------------------------


def test_a_notification_is_emailed_once_however_often_the_task_runs(db, practitioner, mailoutbox):
    (notification,) = notify(
        [practitioner], kind=NotificationKind.COMMENT, text="Hello", url="/programmes/"
    )

    owed = OutgoingEmail.objects.get(about=about_key(notification))
    assert send_outgoing_email(owed.pk) is True
    assert send_outgoing_email(owed.pk) is False

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[CPD Portal] Hello"
    assert "http://127.0.0.1:8000/programmes/" in mailoutbox[0].body


def test_nothing_is_emailed_when_the_action_rolls_back(
    db, practitioner, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([practitioner], kind=NotificationKind.COMMENT, text="Hi", url="/")
        raise RuntimeError

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_a_comment_enqueues_its_email_only_on_commit(
    world, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.send_outgoing_email, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_comment(submission_for(world.leader, world.submission.pk), world.leader, "Nice.")
    assert sent == []

    for callback in callbacks:
        callback()

    notification = Notification.objects.get(user=world.student, kind=NotificationKind.COMMENT)
    assert sent == [OutgoingEmail.objects.get(about=about_key(notification)).pk]


# --- The in-app list ---------------------------------------------------------------------------


@pytest.fixture
def inbox(practitioner, other_practitioner):
    mine = notify([practitioner], kind=NotificationKind.COMMENT, text="For Alex", url="/dashboard/")
    theirs = notify(
        [other_practitioner], kind=NotificationKind.COMMENT, text="For Jo", url="/dashboard/"
    )
    return mine[0], theirs[0]


def test_the_list_shows_only_the_users_own_and_counts_unread_in_the_nav(inbox, client_for):
    mine, _ = inbox
    client = client_for(mine.user)

    response = client.get(reverse("programmes:notification_list"))

    content = response.content.decode()
    assert "For Alex" in content
    assert "For Jo" not in content
    assert re.search(r'class="count">1<span class="visually-hidden"> unread', content)


def test_opening_a_notification_marks_it_read_and_follows_it(inbox, client_for):
    mine, theirs = inbox
    client = client_for(mine.user)

    response = client.get(mine.get_absolute_url())
    refused = client.get(theirs.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert refused.status_code == 404
    assert theirs.read_at is None
    assert 'class="count"' not in client.get(reverse("programmes:home")).content.decode()


def test_mark_all_read_marks_only_the_users_own(inbox, client_for):
    mine, theirs = inbox

    client_for(mine.user).post(reverse("programmes:notifications_read"))

    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_visitors_are_sent_to_log_in(inbox, client_for):
    mine, _ = inbox
    client = client_for(None)
    for url in (reverse("programmes:notification_list"), mine.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert Notification.objects.get(pk=mine.pk).read_at is None
