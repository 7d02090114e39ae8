"""A student's consent in the audit trail: joining, changing what is shared, stopping and
sharing again are each recorded by the functions the pages call, once, and both the student
(programmes page) and the cohort's leaders (its overview) read them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.urls import reverse

from core import outbox
from core.models import OutgoingEmail
from programmes import invitations
from programmes.invitations import accept_path
from programmes.models import AuditAction, AuditEvent, Invitation, Membership

from .conftest import World
from .test_invitations import INVITE_TOKEN

pytestmark = pytest.mark.calendar  # the CPD years offered depend on today


def consent_events(membership: Membership) -> list[tuple[str, str, str]]:
    return [
        (event.actor_name, event.action, event.detail)
        for event in AuditEvent.objects.filter(membership=membership)
    ]


def change(client, world: World, value: str):
    url = reverse("programmes:sharing_change", args=[world.membership.pk])
    return client.post(url, {f"sharing-{world.membership.pk}-shared": value})


def test_joining_through_an_invitation_is_recorded_with_what_is_shared(
    world, monkeypatch, django_capture_on_commit_callbacks, client_for
):
    monkeypatch.setattr(outbox, "_enqueue", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(world.other_cohort, [world.student.email], invited_by=world.other_leader)
    invitation = Invitation.objects.get(cohort=world.other_cohort)
    owed = OutgoingEmail.objects.get(about=outbox.about_key(invitation, invitation.token_hash))
    token = INVITE_TOKEN.search(owed.body)[1]
    year = world.this_year.end.year

    response = client_for(world.student).post(accept_path(token), {"sharing-shared": year})

    assert response.status_code == 302
    membership = Membership.objects.get(cohort=world.other_cohort, student=world.student)
    assert consent_events(membership) == [
        ("Alex Morgan", AuditAction.JOINED, f"Sharing CPD year {world.this_year.label} only")
    ]


def test_each_change_of_consent_is_recorded_once(world, client_for):
    client = client_for(world.student)
    this_year = world.this_year

    change(client, world, str(this_year.end.year))
    change(client, world, str(this_year.end.year))  # the same again: nothing changes
    client.post(reverse("programmes:sharing_stop", args=[world.membership.pk]))
    client.post(reverse("programmes:sharing_stop", args=[world.membership.pk]))
    change(client, world, "all")

    assert consent_events(world.membership) == [
        (
            "Alex Morgan",
            AuditAction.SHARING_CHANGED,
            f"From the whole portfolio to CPD year {this_year.label} only",
        ),
        (
            "Alex Morgan",
            AuditAction.SHARING_STOPPED,
            f"Had shared CPD year {this_year.label} only",
        ),
        ("Alex Morgan", AuditAction.SHARING_STARTED, "Sharing the whole portfolio"),
    ]


def test_the_student_and_the_cohorts_leaders_read_the_consent_trail(world, client_for):
    change(client_for(world.student), world, str(world.this_year.end.year))
    client_for(world.student).post(reverse("programmes:sharing_stop", args=[world.membership.pk]))

    own_page = client_for(world.student).get(reverse("programmes:home")).content.decode()
    records_url = reverse("programmes:cohort_records", args=[world.cohort.pk])
    leader_page = client_for(world.leader).get(records_url).content.decode()

    for page in (own_page, leader_page):
        assert "Changed what is shared" in page
        assert "Stopped sharing" in page
    assert client_for(world.other_leader).get(records_url).status_code == 404
    other_cohort = reverse("programmes:cohort_records", args=[world.other_cohort.pk])
    other_page = client_for(world.other_leader).get(other_cohort).content.decode()
    assert "Stopped sharing" not in other_page


def test_a_consent_event_belongs_to_a_membership_alone(world):
    with pytest.raises(IntegrityError):
        AuditEvent.objects.create(
            membership=world.membership,
            submission=world.submission,
            version=1,
            actor_name="Alex Morgan",
            action=AuditAction.JOINED,
        )
