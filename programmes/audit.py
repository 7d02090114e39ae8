"""The audit trail of a submission or a shared evidence pack: every action, appended, never
changed."""

from __future__ import annotations

from .models import AuditAction, AuditEvent, SharedPack, Submission


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
