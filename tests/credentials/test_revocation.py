"""A leader revokes a sign-off with a reason: audited, the student told, the sign-off gone from
her dashboard and packs, the submission page saying so. Only the programme's leaders may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import AuditAction, AuditEvent, Notification, SignOff
from programmes.signoffs import pack_signoffs, signoffs_for

REASON = "Signed off by mistake: version 2 is the one to review."


def revoke_url(world) -> str:
    return reverse("programmes:revoke_sign_off", args=[world.submission.pk])


def test_the_leader_revokes_a_sign_off_with_a_reason(world, signed, client_for):
    response = client_for(world.leader).post(revoke_url(world), {"reason": REASON})

    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.is_revoked and signed.revocation_reason == REASON
    assert signed.revoked_by == world.leader
    event = AuditEvent.objects.filter(submission=world.submission).last()
    assert (event.action, event.detail) == (AuditAction.SIGN_OFF_REVOKED, REASON)
    notice = Notification.objects.filter(user=world.student).first()
    assert "revoked the sign-off" in notice.text


def test_the_submission_page_says_it_was_revoked(world, signed, revoke, client_for):
    revoke(REASON)

    student_page = client_for(world.student).get(world.submission.get_absolute_url())
    leader_page = client_for(world.leader).get(world.submission.get_absolute_url())

    for page in (student_page, leader_page):
        content = page.content.decode()
        assert "Sign-off revoked" in content and REASON in content
        assert "Revoke this sign-off" not in content
    assert "Download your credential" not in student_page.content.decode()
    assert "is revoked" in student_page.content.decode()


def test_a_revoked_sign_off_leaves_the_dashboard_and_packs(world, signed, revoke):
    assert pack_signoffs(world.student, world.this_year)[0]["verify"].endswith(
        f"/credentials/{signed.credential.pk}/"
    )

    revoke()

    assert list(signoffs_for(world.student)) == []
    assert pack_signoffs(world.student, world.this_year) == []


def test_a_reason_is_required(world, signed, client_for):
    response = client_for(world.leader).post(revoke_url(world), {"reason": "  "})

    assert response.status_code == 400
    assert "Say why you revoke the sign-off." in response.content.decode()
    assert not SignOff.objects.get(pk=signed.pk).is_revoked


def test_revoking_twice_is_refused(world, signed, revoke, client_for):
    revoke()

    response = client_for(world.leader).post(revoke_url(world), {"reason": REASON}, follow=True)

    assert "already been revoked" in response.content.decode()


def test_a_submission_not_signed_off_has_nothing_to_revoke(world, client_for):
    response = client_for(world.leader).post(revoke_url(world), {"reason": REASON}, follow=True)

    assert "has not been signed off" in response.content.decode()


def test_the_student_may_not_revoke(world, signed, client_for):
    assert client_for(world.student).post(revoke_url(world), {"reason": REASON}).status_code == 403


@pytest.mark.parametrize("who", ["other_practitioner", "other_leader"])
def test_others_get_404(who, world, signed, client_for):
    response = client_for(getattr(world, who)).post(revoke_url(world), {"reason": REASON})

    assert response.status_code == 404
    assert not SignOff.objects.get(pk=signed.pk).is_revoked


def test_the_leader_without_consent_gets_404(world, signed, client_for):
    world.revoke()

    assert client_for(world.leader).post(revoke_url(world), {"reason": REASON}).status_code == 404


def test_anonymous_is_sent_to_log_in(world, signed, client):
    response = client.post(revoke_url(world), {"reason": REASON})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
