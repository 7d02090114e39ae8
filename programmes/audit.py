"""The audit trail of a submission, a shared evidence pack or a student's consent: every
action, appended, never changed."""

from __future__ import annotations

from .models import AuditAction, AuditEvent, Cohort, Membership, SharedPack, Submission

# The cohort overview lists this many of its latest consent changes.
CONSENT_CHANGES_LISTED = 50


def _append(*, actor, action: AuditAction, detail: str, **about) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor, actor_name=str(actor), action=action, detail=detail, **about
    )


def record(
    submission: Submission, *, actor, action: AuditAction, version: int, detail: str = ""
) -> AuditEvent:
    return _append(
        actor=actor, action=action, detail=detail, submission=submission, version=version
    )


def record_pack(
    shared_pack: SharedPack, *, actor, action: AuditAction, detail: str = ""
) -> AuditEvent:
    return _append(actor=actor, action=action, detail=detail, shared_pack=shared_pack)


def record_consent(membership: Membership, *, action: AuditAction, detail: str = "") -> AuditEvent:
    """A change to what ``membership``'s student shares, made by the student herself."""
    return _append(actor=membership.student, action=action, detail=detail, membership=membership)


def latest_consent_changes(cohort: Cohort) -> list[AuditEvent]:
    """The latest changes to what the cohort's students share, newest first."""
    events = AuditEvent.objects.filter(membership__cohort=cohort).order_by("-created_at", "-pk")
    return list(events[:CONSENT_CHANGES_LISTED])
