"""The audit trail of a submission: every action, appended, never changed."""

from __future__ import annotations

from .models import AuditAction, AuditEvent, Submission


def record(
    submission: Submission, *, actor, action: AuditAction, version: int, detail: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        submission=submission,
        version=version,
        actor=actor,
        actor_name=str(actor),
        action=action,
        detail=detail,
    )
