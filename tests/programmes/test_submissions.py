"""Submitting a CPD year freezes its complete entries as a numbered version: later edits to the
live log never change what was submitted, and resubmitting makes the next version."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_containing
from portfolio.entries import save_entry
from portfolio.models import Capability, Entry, Status
from programmes.access import submission_for
from programmes.errors import ActionRefused
from programmes.models import AuditAction, Snapshot, SnapshotEntry, Submission, SubmissionStatus
from programmes.review import request_changes
from programmes.submissions import resubmit, submit

from .conftest import PEER_TITLE, THIS_YEAR_TITLE, join, make_cohort

pytestmark = pytest.mark.calendar  # submissions are of the CPD year containing today

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def titles(snapshot: Snapshot) -> list[str]:
    return list(snapshot.entries.values_list("title", flat=True))


def edit_form(entry: Entry, **changes) -> dict:
    data = {
        "title": entry.title,
        "activity_type": entry.activity_type,
        "occurred_on": entry.occurred_on.isoformat(),
        "duration": "30m",
        "what_happened": entry.what_happened,
        "what_learned": entry.what_learned,
        "impact": entry.impact,
        "capabilities": [c.pk for c in entry.capabilities.all()],
        "action": "complete",
    }
    data.update(changes)
    return data


def test_a_submission_freezes_the_years_complete_entries_only(world):
    snapshot = world.submission.snapshots.get()

    assert snapshot.number == 1
    assert sorted(titles(snapshot)) == sorted([THIS_YEAR_TITLE, PEER_TITLE])
    assert world.submission.year == world.this_year.end.year
    assert world.submission.status == SubmissionStatus.IN_REVIEW
    event = world.submission.audit_events.get()
    assert (event.action, event.actor, event.version) == (AuditAction.SUBMITTED, world.student, 1)


def test_a_snapshot_copies_text_capabilities_and_evidence_names(practitioner, programme_leader):
    pcf5 = Capability.objects.get(code="PCF5")
    live = save_entry(
        Entry(
            title="Webinar with a certificate",
            activity_type="webinar",
            occurred_on=timezone.localdate(),
            duration_minutes=45,
            status=Status.COMPLETE,
            what_happened="Watched it.",
            what_learned="Learned it.",
            impact="Changed it.",
            is_peer_reflected=True,
            peer_role="fellow AMHP",
            peer_learning="Talked it over.",
            platform="website",
        ),
        owner=practitioner,
        capabilities=[pcf5],
        tag_names=[],
        new_files=[SimpleUploadedFile("certificate.pdf", PDF_BYTES, "application/pdf")],
    )
    membership = join(practitioner, make_cohort(programme_leader, "MSc"))

    submission = submit(membership, cpd_year_containing(timezone.localdate()))

    entry = SnapshotEntry.objects.get(snapshot__submission=submission)
    assert entry.live_entry == live
    assert (entry.title, entry.activity_type, entry.occurred_on) == (
        "Webinar with a certificate",
        "webinar",
        timezone.localdate(),
    )
    assert (entry.what_happened, entry.what_learned, entry.impact) == (
        "Watched it.",
        "Learned it.",
        "Changed it.",
    )
    assert (entry.is_peer_reflected, entry.peer_role, entry.peer_learning) == (
        True,
        "fellow AMHP",
        "Talked it over.",
    )
    assert entry.get_platform_display() == "A website or e-learning platform"
    assert entry.duration_minutes == 45
    assert entry.capabilities == [{"framework": "PCF", "code": "PCF5", "name": pcf5.name}]
    assert entry.evidence == [{"name": "certificate.pdf", "size": len(PDF_BYTES)}]


def test_editing_or_deleting_a_live_entry_never_changes_the_snapshot(world, client_for):
    snapshot = world.submission.snapshots.get()
    before = list(snapshot.entries.order_by("pk").values())
    client = client_for(world.student)

    edited = client.post(
        reverse("portfolio:entry_edit", args=[world.entry.pk]),
        edit_form(world.entry, title="Retitled after submitting", impact="A new impact."),
    )
    peer = Entry.objects.get(title=PEER_TITLE)
    deleted = client.post(reverse("portfolio:entry_delete", args=[peer.pk]))

    assert (edited.status_code, deleted.status_code) == (302, 302)
    world.entry.refresh_from_db()
    assert world.entry.title == "Retitled after submitting"
    after = list(snapshot.entries.order_by("pk").values())
    assert [e["title"] for e in after] == [e["title"] for e in before]
    assert [e["impact"] for e in after] == [e["impact"] for e in before]
    # Only the student's link back to the deleted live entry is gone.
    assert [e["live_entry_id"] for e in after] == [
        None if e["live_entry_id"] == peer.pk else e["live_entry_id"] for e in before
    ]
    page = client_for(world.leader).get(world.submission.get_absolute_url())
    assert PEER_TITLE in page.content.decode()
    assert "Retitled after submitting" not in page.content.decode()


def test_resubmitting_makes_version_two_and_keeps_version_one(world, client_for):
    request_changes(submission_for(world.leader, world.submission.pk), world.leader, "More.")
    client = client_for(world.student)
    client.post(
        reverse("portfolio:entry_edit", args=[world.entry.pk]),
        edit_form(world.entry, title="Retitled for version two"),
    )

    response = client.post(
        reverse("programmes:resubmit", args=[world.submission.pk]), {"note": "Retitled."}
    )

    assert response.status_code == 302
    first, second = world.submission.snapshots.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert THIS_YEAR_TITLE in titles(first)
    assert "Retitled for version two" in titles(second)
    assert THIS_YEAR_TITLE not in titles(second)
    assert second.note == "Retitled."
    world.submission.refresh_from_db()
    assert world.submission.status == SubmissionStatus.IN_REVIEW
    assert list(world.submission.audit_events.values_list("action", "version")) == [
        (AuditAction.SUBMITTED, 1),
        (AuditAction.CHANGES_REQUESTED, 1),
        (AuditAction.RESUBMITTED, 2),
    ]
    version_one = client_for(world.leader).get(world.submission.get_absolute_url() + "?version=1")
    assert THIS_YEAR_TITLE in version_one.content.decode()
    assert version_one.context["page"].is_current is False


def submit_form(world, year) -> dict:
    return {f"submit-{world.membership.pk}-year": str(year.end.year)}


def test_submitting_through_the_page_goes_to_the_submission(world, client_for):
    client = client_for(world.student)

    response = client.post(
        reverse("programmes:submit", args=[world.membership.pk]),
        submit_form(world, world.last_year),
    )

    submission = Submission.objects.get(membership=world.membership, year=world.last_year.end.year)
    assert response.status_code == 302
    assert response["Location"] == submission.get_absolute_url()
    assert submission.snapshots.get().entries.count() == 1


def messages_after(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_double_submit_says_it_is_already_in_review(world, client_for):
    client = client_for(world.student)

    response = client.post(
        reverse("programmes:submit", args=[world.membership.pk]),
        submit_form(world, world.this_year),
        follow=True,
    )

    assert Submission.objects.filter(membership=world.membership).count() == 1
    assert world.submission.snapshots.count() == 1
    (message,) = messages_after(response)
    assert message.startswith(f"You already submitted CPD year {world.this_year.label} on ")
    assert message.endswith(
        "and it is waiting for review. You can submit again once your "
        "programme leader asks for changes."
    )


def test_a_double_resubmit_is_refused_with_a_message(world, client_for):
    request_changes(submission_for(world.leader, world.submission.pk), world.leader, "More.")
    client = client_for(world.student)
    url = reverse("programmes:resubmit", args=[world.submission.pk])

    client.post(url)
    response = client.post(url, follow=True)

    assert world.submission.snapshots.count() == 2
    assert "waiting for review" in messages_after(response)[-1]


def test_submitting_a_year_not_shared_is_refused(world):
    world.share(world.this_year.end.year)
    world.membership.refresh_from_db()

    with pytest.raises(ActionRefused) as refusal:
        submit(world.membership, world.last_year)

    assert str(refusal.value) == (
        f"You share only CPD year {world.this_year.label} with {world.cohort}: share CPD year "
        f"{world.last_year.label} too before you submit it."
    )


def test_submitting_after_revoking_is_refused(world, client_for):
    world.revoke()

    response = client_for(world.student).post(
        reverse("programmes:submit", args=[world.membership.pk]),
        submit_form(world, world.last_year),
        follow=True,
    )

    assert messages_after(response) == [
        f"You no longer share with {world.cohort}: share again before you submit."
    ]
    assert Submission.objects.count() == 1


def test_submitting_a_year_with_no_complete_entries_is_refused(world):
    empty_year = world.last_year.previous()

    with pytest.raises(ActionRefused) as refusal:
        submit(world.membership, empty_year)

    assert str(refusal.value) == (
        f"You have no complete entries in CPD year {empty_year.label} to submit."
    )
    assert Submission.objects.count() == 1


def test_resubmitting_while_in_review_is_refused(world):
    with pytest.raises(ActionRefused):
        resubmit(world.submission)
    assert world.submission.snapshots.count() == 1
