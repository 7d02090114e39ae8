"""Reviewing: comments on entries of the version under review and on the whole, replies from
either side, requesting changes, signing off; an audit trail both sides read and nobody edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from programmes.access import submission_for
from programmes.errors import ActionRefused
from programmes.models import (
    AppendOnlyError,
    AuditAction,
    AuditEvent,
    Comment,
    Notification,
    NotificationKind,
    SignOff,
    SubmissionStatus,
)
from programmes.review import add_comment, current_snapshot, reply, request_changes, sign_off
from programmes.submissions import resubmit, submit

from .conftest import THIS_YEAR_TITLE, join, make_cohort, make_leader


def leader_access(world):
    return submission_for(world.leader, world.submission.pk)


def messages_after(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def comment_url(world) -> str:
    return reverse("programmes:comment_create", args=[world.submission.pk])


def entry_of(world):
    return current_snapshot(world.submission).entries.get(title=THIS_YEAR_TITLE)


SIGN_OFF = {
    "name": "Dr Sam Patel",
    "role": "Programme leader",
    "statement": "A thoughtful, well-evidenced year.",
    "confirmed": True,
}


def test_a_leader_comments_on_an_entry_and_the_student_is_told(world, client_for):
    entry = entry_of(world)

    response = client_for(world.leader).post(
        comment_url(world), {"text": "Say more about the families.", "entry": entry.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == world.submission.get_absolute_url() + f"#entry-{entry.pk}"
    comment = Comment.objects.get()
    assert (comment.entry, comment.author, comment.snapshot.number) == (entry, world.leader, 1)
    event = world.submission.audit_events.last()
    assert event.action == AuditAction.COMMENTED
    assert event.detail == f"On “{THIS_YEAR_TITLE}”: Say more about the families."
    notification = Notification.objects.get(kind=NotificationKind.COMMENT)
    assert notification.user == world.student
    assert notification.url == world.submission.get_absolute_url()


def test_a_comment_on_an_entry_outside_the_snapshot_is_refused(world, client_for):
    # An entry of another student's submission, and an entry of an earlier version.
    other_cohort_entry = (
        submit(join(world.other_practitioner, world.cohort), world.this_year)
        .snapshots.get()
        .entries.get()
    )
    old_entry = entry_of(world)
    request_changes(leader_access(world), world.leader, "More.")
    resubmit(world.submission)
    client = client_for(world.leader)

    for entry in (other_cohort_entry, old_entry):
        response = client.post(comment_url(world), {"text": "Hmm.", "entry": entry.pk}, follow=True)
        assert messages_after(response) == [
            "That entry is not part of version 2, the version under review, so it cannot be "
            "commented on."
        ]
    assert not Comment.objects.exclude(reply_to=None, entry=None).exists()
    with pytest.raises(ActionRefused, match="not part of version 2"):
        add_comment(leader_access(world), world.leader, "Hmm.", entry=old_entry)


def test_the_student_replies_and_every_leader_is_told(world, client_for):
    co_leader = make_leader("co.leader@example.org")
    world.programme.leaders.add(co_leader)
    comment = add_comment(leader_access(world), world.leader, "Why?", entry=entry_of(world))
    Notification.objects.all().delete()

    response = client_for(world.student).post(
        reverse("programmes:reply_create", args=[world.submission.pk, comment.pk]),
        {"text": "Because it changed my practice."},
    )

    assert response.status_code == 302
    answer = Comment.objects.get(reply_to=comment)
    assert (answer.author, answer.entry, answer.snapshot) == (
        world.student,
        comment.entry,
        comment.snapshot,
    )
    assert set(Notification.objects.values_list("user", flat=True)) == {
        world.leader.pk,
        co_leader.pk,
    }
    assert world.submission.audit_events.last().action == AuditAction.REPLIED


def test_a_reply_to_a_reply_joins_the_thread(world):
    comment = add_comment(leader_access(world), world.leader, "Why?")
    answer = reply(submission_for(world.student, world.submission.pk), world.student, comment, "A")

    again = reply(leader_access(world), world.leader, answer, "Thanks.")

    assert again.reply_to == comment


def test_a_reply_to_a_comment_of_another_submission_is_not_found(world, client_for):
    other = submit(join(world.student, world.other_cohort), world.this_year)
    foreign = add_comment(
        submission_for(world.other_leader, other.pk), world.other_leader, "Elsewhere."
    )

    response = client_for(world.student).post(
        reverse("programmes:reply_create", args=[world.submission.pk, foreign.pk]),
        {"text": "Crossed wires."},
    )

    assert response.status_code == 404
    assert not Comment.objects.filter(reply_to=foreign).exists()


def test_requesting_changes_then_signing_off_the_resubmission(world, client_for):
    leader, student = client_for(world.leader), client_for(world.student)

    leader.post(
        reverse("programmes:request_changes", args=[world.submission.pk]),
        {"text": "Add a peer discussion about thresholds."},
    )
    world.submission.refresh_from_db()
    assert world.submission.status == SubmissionStatus.CHANGES_REQUESTED
    asked = Comment.objects.get()
    assert (asked.entry, asked.text) == (None, "Add a peer discussion about thresholds.")
    refused = leader.post(
        reverse("programmes:sign_off", args=[world.submission.pk]),
        {**SIGN_OFF, "signed_on": world.today.isoformat()},
        follow=True,
    )
    assert messages_after(refused)[-1] == (
        "Changes have already been requested: the student will resubmit before you decide."
    )
    assert not SignOff.objects.exists()

    student.post(reverse("programmes:resubmit", args=[world.submission.pk]))
    signed = leader.post(
        reverse("programmes:sign_off", args=[world.submission.pk]),
        {**SIGN_OFF, "signed_on": world.today.isoformat()},
    )

    assert signed.status_code == 302
    signoff = SignOff.objects.get()
    assert (signoff.name, signoff.role, signoff.signed_on) == (
        "Dr Sam Patel",
        "Programme leader",
        world.today,
    )
    assert signoff.snapshot.number == 2
    assert signoff.signed_by == world.leader
    world.submission.refresh_from_db()
    assert world.submission.status == SubmissionStatus.SIGNED_OFF
    decisions = Notification.objects.filter(user=world.student, kind=NotificationKind.DECISION)
    assert [n.text for n in decisions.order_by("pk")] == [
        f"Dr Sam Patel asked for changes to CPD year {world.this_year.label}.",
        f"Dr Sam Patel signed off CPD year {world.this_year.label}.",
    ]


def test_after_sign_off_the_submission_is_closed(world, client_for):
    comment = add_comment(leader_access(world), world.leader, "Fine.")
    sign_off(leader_access(world), world.leader, signed_on=world.today, **SIGN_OFF)
    leader, student = client_for(world.leader), client_for(world.student)

    again = leader.post(
        reverse("programmes:sign_off", args=[world.submission.pk]),
        {**SIGN_OFF, "signed_on": world.today.isoformat()},
        follow=True,
    )
    commented = leader.post(comment_url(world), {"text": "One more thing."}, follow=True)
    replied = student.post(
        reverse("programmes:reply_create", args=[world.submission.pk, comment.pk]),
        {"text": "Thanks."},
        follow=True,
    )

    assert messages_after(again) == ["This submission has already been signed off."]
    closed = "This submission has been signed off, so it is closed to further comments."
    assert messages_after(commented) == [closed]
    assert messages_after(replied) == [closed]
    assert SignOff.objects.count() == 1
    assert Comment.objects.count() == 1


def test_a_sign_off_cannot_be_dated_in_the_future(world, client_for):
    tomorrow = world.today + dt.timedelta(days=1)

    response = client_for(world.leader).post(
        reverse("programmes:sign_off", args=[world.submission.pk]),
        {**SIGN_OFF, "signed_on": tomorrow.isoformat()},
    )

    assert response.status_code == 400
    assert response.context["sign_off_form"].errors == {
        "signed_on": ["A sign-off cannot be dated in the future."]
    }
    assert not SignOff.objects.exists()


def test_an_empty_request_for_changes_is_shown_again_with_its_error(world, client_for):
    response = client_for(world.leader).post(
        reverse("programmes:request_changes", args=[world.submission.pk]), {"text": ""}
    )

    assert response.status_code == 400
    assert "text" in response.context["request_changes_form"].errors
    world.submission.refresh_from_db()
    assert world.submission.status == SubmissionStatus.IN_REVIEW


# --- The audit trail -------------------------------------------------------------------------


def test_both_sides_read_the_same_audit_trail(world, client_for):
    add_comment(leader_access(world), world.leader, "Audit me.")
    expected = list(world.submission.audit_events.values_list("pk", flat=True))

    for user in (world.student, world.leader):
        response = client_for(user).get(world.submission.get_absolute_url())
        assert [e.pk for e in response.context["page"].audit_trail] == expected
        assert "Audit me." in response.content.decode()
    assert len(expected) == 2


def test_the_audit_trail_cannot_be_changed_or_deleted(world):
    event = world.submission.audit_events.get()

    event.detail = "Rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="Rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    event.refresh_from_db()
    assert event.detail == ""
    assert AuditEvent.objects.count() == 1


def test_the_audit_trail_is_not_in_the_admin(world):
    from django.contrib import admin

    assert AuditEvent not in admin.site._registry
    assert Comment not in admin.site._registry


def test_co_leaders_review_and_other_programmes_leaders_do_not(world, client_for):
    co_leader = make_leader("co.leader@example.org")
    world.programme.leaders.add(co_leader)
    other = make_cohort(co_leader, "Somewhere else")

    response = client_for(co_leader).post(comment_url(world), {"text": "From a co-leader."})

    assert response.status_code == 302
    assert Comment.objects.get().author == co_leader
    # Leading one programme together gives nothing of the co-leader's other programmes.
    overview = reverse("programmes:cohort_overview", args=[other.pk])
    assert client_for(world.leader).get(overview).status_code == 404
