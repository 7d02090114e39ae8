"""Review that flows (issue 15): a sign-off asks the leader to confirm what she signs; leaders
are told when a student stops sharing; opening a submission clears its notifications; the
notifications page shows one row per submission at a constant cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutgoingEmail
from programmes import consent
from programmes.access import submission_for
from programmes.errors import ActionRefused
from programmes.models import Notification, NotificationKind, SignOff, SubmissionStatus
from programmes.notifications import NOTIFICATIONS_PAGE_SIZE, notify
from programmes.review import add_comment, sign_off
from programmes.submissions import submit
from tests.factories import make_entry, make_user

from .conftest import join, make_leader

pytestmark = pytest.mark.calendar  # submissions are of the CPD year containing today

STATEMENT = "A thoughtful, well-evidenced year."


def detail_url(submission) -> str:
    return reverse("programmes:submission_detail", args=[submission.pk])


def sign_off_post(world, **extra) -> dict:
    return {
        "name": "Dr Sam Patel",
        "role": "Programme leader",
        "signed_on": world.today.isoformat(),
        "statement": STATEMENT,
        **extra,
    }


# --- Sign-off: its statement, and a confirmation the server requires ---------------------------


def test_the_domain_refuses_a_sign_off_that_was_not_confirmed(world):
    with pytest.raises(ActionRefused, match="I confirm"):
        sign_off(
            submission_for(world.leader, world.submission.pk),
            world.leader,
            name="Dr Sam Patel",
            role="Programme leader",
            signed_on=world.today,
            statement=STATEMENT,
            confirmed=False,
        )

    world.submission.refresh_from_db()
    assert world.submission.status == SubmissionStatus.IN_REVIEW
    assert not SignOff.objects.exists()


def test_the_leader_sees_what_she_confirms_before_signing_off(world, client_for):
    content = client_for(world.leader).get(detail_url(world.submission)).content.decode()

    assert '<details class="sign-off"' in content
    assert "receives a verifiable credential of it" in content
    assert "You can revoke a sign-off later" in content
    assert (
        '<input type="checkbox" name="confirmed" required id="id_confirmed"> I confirm that I '
        "have reviewed version 1 of Alex Morgan’s CPD year"
    ) in content


def test_a_sign_off_without_the_box_ticked_is_refused_and_keeps_what_was_typed(world, client_for):
    response = client_for(world.leader).post(
        reverse("programmes:sign_off", args=[world.submission.pk]), sign_off_post(world)
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Tick this box to confirm the sign-off." in content
    assert STATEMENT in content  # nothing typed is lost
    assert '<details class="sign-off" open>' in content
    assert not SignOff.objects.exists()


def test_a_confirmed_sign_off_goes_through(world, client_for):
    response = client_for(world.leader).post(
        reverse("programmes:sign_off", args=[world.submission.pk]),
        sign_off_post(world, confirmed="on"),
    )

    assert response.status_code == 302
    assert SignOff.objects.get(submission=world.submission).statement == STATEMENT


@pytest.mark.parametrize("viewer", ["student", "other_leader", "other_practitioner", "no_consent"])
def test_only_a_consented_leader_of_the_programme_signs_off(viewer, world, client_for):
    if viewer == "no_consent":
        world.revoke()
        user = world.leader
    else:
        user = getattr(world, viewer)

    response = client_for(user).post(
        reverse("programmes:sign_off", args=[world.submission.pk]),
        sign_off_post(world, confirmed="on"),
    )

    assert response.status_code in (403, 404)
    assert not SignOff.objects.exists()


def test_anonymous_visitors_cannot_sign_off(world, client_for):
    response = client_for(None).post(
        reverse("programmes:sign_off", args=[world.submission.pk]),
        sign_off_post(world, confirmed="on"),
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not SignOff.objects.exists()


def test_the_student_sees_no_sign_off_form(world, client_for):
    content = client_for(world.student).get(detail_url(world.submission)).content.decode()

    assert 'name="confirmed"' not in content


# --- A student who stops sharing: her programme's leaders are told ------------------------------


def test_every_leader_of_the_programme_is_told_when_a_student_stops_sharing(world, client_for):
    co_leader = make_leader("co.leader@example.org", display_name="Dr Co Leader")
    world.programme.leaders.add(co_leader)

    response = client_for(world.student).post(
        reverse("programmes:sharing_stop", args=[world.membership.pk])
    )
    client_for(world.student).post(reverse("programmes:sharing_stop", args=[world.membership.pk]))

    assert response.status_code == 302
    told = Notification.objects.filter(kind=NotificationKind.SHARING)
    assert sorted(n.user.email for n in told) == sorted([world.leader.email, co_leader.email])
    notification = told.get(user=world.leader)
    assert notification.text.startswith("Alex Morgan stopped sharing with Advanced practice MSc")
    assert notification.url == reverse("programmes:cohort_records", args=[world.cohort.pk])
    # Emailed as every other notification is, once.
    emails = OutgoingEmail.objects.filter(kind="notification", recipient=world.leader.email)
    assert [email.subject for email in emails if "stopped sharing" in email.subject] != []
    assert not Notification.objects.filter(
        kind=NotificationKind.SHARING, user__in=[world.other_leader, world.student]
    ).exists()


def test_another_practitioner_cannot_stop_someone_elses_sharing(world, client_for):
    response = client_for(world.other_practitioner).post(
        reverse("programmes:sharing_stop", args=[world.membership.pk])
    )

    assert response.status_code == 404
    assert not Notification.objects.filter(kind=NotificationKind.SHARING).exists()


def test_changing_what_is_shared_does_not_tell_the_leaders_that_sharing_stopped(world):
    consent.change_sharing(world.membership, shared_year=world.this_year.end.year)

    assert not Notification.objects.filter(kind=NotificationKind.SHARING).exists()


# --- Opening a submission marks its notifications read -----------------------------------------


def unread(user) -> list[str]:
    return list(Notification.objects.for_user(user).unread().values_list("text", flat=True))


def test_opening_a_submission_marks_the_leaders_notifications_about_it_read_in_one_update(
    world, client_for
):
    notify([world.leader], kind=NotificationKind.PACK, text="Something else", url="/")
    assert len(unread(world.leader)) == 2  # the submission's, and the other

    with CaptureQueriesContext(connection) as queries:
        response = client_for(world.leader).get(detail_url(world.submission))

    assert response.status_code == 200
    assert unread(world.leader) == ["Something else"]
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "programmes_notification"')]
    assert len(updates) == 1
    assert '"submission_id" =' in updates[0] and '"user_id" =' in updates[0]


def test_opening_her_submission_marks_only_the_students_own_notifications_read(world, client_for):
    add_comment(submission_for(world.leader, world.submission.pk), world.leader, "Nice work.")
    assert len(unread(world.student)) == 1

    client_for(world.student).get(detail_url(world.submission))

    assert unread(world.student) == []
    assert len(unread(world.leader)) == 1  # the leader's "submitted" is still hers to read


@pytest.mark.parametrize(
    "viewer", ["other_leader", "other_practitioner", "no_consent", "anonymous"]
)
def test_no_one_else_opening_a_submission_marks_anything_read(viewer, world, client_for):
    if viewer == "no_consent":
        world.revoke()
        user = world.leader
    else:
        user = None if viewer == "anonymous" else getattr(world, viewer)
    notify(
        [world.other_leader, world.other_practitioner],
        kind=NotificationKind.COMMENT,
        text="Mentions this submission",
        url=detail_url(world.submission),
        submission=world.submission,
    )

    response = client_for(user).get(detail_url(world.submission))

    assert response.status_code == (302 if viewer == "anonymous" else 404)
    assert Notification.objects.unread().count() == 3


# --- One row per submission on the notifications page ------------------------------------------


def test_eighteen_notifications_about_a_submission_are_one_row(world, client_for):
    notify([world.leader], kind=NotificationKind.INVITATION, text="Invited to a cohort", url="/")
    for number in range(15):
        notify(
            [world.leader],
            kind=NotificationKind.COMMENT,
            text=f"Alex Morgan replied to a comment ({number}).",
            url=detail_url(world.submission),
            submission=world.submission,
        )
    for _ in range(2):
        notify(
            [world.leader],
            kind=NotificationKind.SUBMISSION,
            text="Alex Morgan resubmitted.",
            url=detail_url(world.submission),
            submission=world.submission,
        )

    response = client_for(world.leader).get(reverse("programmes:notification_list"))

    rows = list(response.context["page"])
    assert len(rows) == 2
    grouped, single = rows
    year = world.this_year.label
    assert grouped.summary == f"Alex Morgan’s CPD year {year}: 15 new comments, 3 new versions"
    assert grouped.url == detail_url(world.submission)
    assert grouped.unread == 18
    assert grouped.latest.text == "Alex Morgan resubmitted."
    assert (single.summary, single.latest.text) == ("", "Invited to a cohort")
    content = response.content.decode()
    assert f'<a href="{detail_url(world.submission)}">Alex Morgan’s CPD year' in content
    # The nav still counts unread notifications, not rows.
    assert 'class="count">19<' in content

    client_for(world.leader).get(detail_url(world.submission))
    rows = list(
        client_for(world.leader).get(reverse("programmes:notification_list")).context["page"]
    )
    assert rows[0].summary == f"Alex Morgan’s CPD year {year}: 15 comments, 3 versions"
    assert rows[0].unread == 0


def test_a_row_about_a_submission_no_longer_shared_stays_without_a_link(world, client_for):
    add_comment(submission_for(world.leader, world.submission.pk), world.leader, "Nice work.")
    client_for(world.student).post(reverse("programmes:sharing_stop", args=[world.membership.pk]))

    response = client_for(world.leader).get(reverse("programmes:notification_list"))

    rows = {row.latest.submission_id: row for row in response.context["page"]}
    about_the_submission = rows[world.submission.pk]
    assert about_the_submission.url == ""
    assert about_the_submission.summary.endswith("(no longer shared)")
    assert f'href="{detail_url(world.submission)}"' not in response.content.decode()
    assert client_for(world.leader).get(detail_url(world.submission)).status_code == 404
    # Her own page still links to it.
    (own,) = client_for(world.student).get(reverse("programmes:notification_list")).context["page"]
    assert own.url == detail_url(world.submission)


def test_the_student_reads_her_own_submission_as_yours(world, client_for):
    add_comment(submission_for(world.leader, world.submission.pk), world.leader, "Nice work.")

    response = client_for(world.student).get(reverse("programmes:notification_list"))

    (row,) = response.context["page"]
    assert row.summary == f"Your CPD year {world.this_year.label}: 1 new comment"


def test_the_page_lists_only_the_users_own_notifications(world, client_for):
    response = client_for(world.other_leader).get(reverse("programmes:notification_list"))

    assert list(response.context["page"]) == []
    assert "Alex Morgan" not in response.content.decode()


def students_with_submissions(world, count: int) -> list:
    submissions = []
    for number in range(count):
        student = make_user(f"student{number}@example.org", display_name=f"Student {number}")
        make_entry(student, occurred_on=world.today)
        submissions.append(submit(join(student, world.cohort), world.this_year))
    return submissions


@pytest.mark.parametrize("students", [2, 12])
def test_the_notifications_page_costs_the_same_however_many_there_are(
    students, world, client_for, django_assert_max_num_queries
):
    for submission in students_with_submissions(world, students):
        for _ in range(3):
            notify(
                [world.leader],
                kind=NotificationKind.COMMENT,
                text="A reply.",
                url=detail_url(submission),
                submission=submission,
            )
    for number in range(students * 2):
        notify([world.leader], kind=NotificationKind.PACK, text=f"Pack {number}", url="/")
    client = client_for(world.leader)
    client.get(reverse("programmes:notification_list"))  # the session, warmed

    with django_assert_max_num_queries(7):
        response = client.get(reverse("programmes:notification_list"))

    rows = list(response.context["page"])
    # One row per submission (its own, from the world, and each student's) and per pack.
    expected = min(NOTIFICATIONS_PAGE_SIZE, 1 + students + students * 2)
    assert len(rows) == expected
