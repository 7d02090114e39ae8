"""Which fields of each model an account export holds, and how a value becomes JSON and comes
back: one list per model, read by the export and by the import alike, so the two can never
disagree on a field. The JSON Schema (schema/account-export.schema.json) describes the same."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import models

from portfolio.models import EntryFields

FORMAT = "cpd-portal-account-export"
# Raised when the format changes in a way an older import could not read.
FORMAT_VERSION = 1
DOCUMENT_NAME = "account.json"

# Every field of the profile but the password (never exported: the person sets a new one on
# the new portal), the superuser flag, and the version key of her cached pages.
PROFILE_FIELDS = [
    "email",
    "display_name",
    "pseudonym",
    "registration_number",
    "role",
    "specialism",
    "employer",
    "time_zone",
    "cpd_reminders",
    "is_active",
    "date_joined",
    "last_login",
]
ENTRY_FIELDS = [
    *(field.name for field in EntryFields._meta.fields),
    "status",
    "client_id",
    "source_key",
    "created_at",
    "updated_at",
]
EVIDENCE_FIELDS = ["original_name", "content_type", "size", "uploaded_at"]
# A colleague's answer about an entry's peer discussion, and the request for it: never the
# hash of its link's token (the link belongs to the portal that sent it).
PEER_CONFIRMATION_FIELDS = [
    "email",
    "note",
    "requested_at",
    "expires_at",
    "withdrawn_at",
    "answered_at",
    "name",
    "role",
    "registration_number",
    "correction",
    "confirmed_text",
    "removed_at",
]
SUMMARY_FIELDS = [
    "period_start",
    "period_end",
    "version",
    "state",
    "attempts",
    "error",
    "heartbeat_at",
    "created_at",
    "finished_at",
    "input_hash",
    "facts",
    "draft_text",
    "text",
    "edited_at",
]
NOTIFICATION_FIELDS = ["kind", "text", "url", "created_at", "read_at"]
READING_LIST_FIELDS = ["saved_at"]
# Exported for the record only (see account_data/importing.py).
SUGGESTION_FIELDS = ["url", "title", "reason", "status", "decline_reason", "created_at"]
ACCESS_TOKEN_FIELDS = [
    "name",
    "scope",
    "prefix",
    "created_at",
    "last_used_at",
    "revoked_at",
    "expires_at",
]
MEMBERSHIP_FIELDS = ["shared_year", "joined_at", "consented_at", "revoked_at"]
SUBMISSION_FIELDS = ["year", "status", "created_at", "updated_at"]
SNAPSHOT_FIELDS = ["number", "note", "submitted_at"]
SNAPSHOT_ENTRY_FIELDS = [
    "position",
    *(field.name for field in EntryFields._meta.fields),
    "capabilities",
    "evidence",
]
COMMENT_FIELDS = ["author_name", "text", "created_at"]
SIGN_OFF_FIELDS = ["name", "role", "signed_on", "statement", "created_at"]
AUDIT_FIELDS = ["version", "actor_name", "action", "detail", "created_at"]


def plain(value: Any) -> Any:
    """A field's value as JSON holds it: dates and times in ISO 8601 with every digit (and
    the offset), so they come back equal to the microsecond."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def record_of(row: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: plain(getattr(row, name)) for name in fields}


def values_from(model: type[models.Model], record: dict[str, Any], fields: list[str]) -> dict:
    """What ``record`` says of ``fields``, as ``model``'s fields hold them. A value that is no
    date, time or id raises ValidationError, as it would in a form."""
    return {name: model._meta.get_field(name).to_python(record[name]) for name in fields}


def automatic_times(model: type[models.Model], fields: list[str]) -> list[str]:
    """Which of ``fields`` Django sets itself on saving (auto_now, auto_now_add): the import
    writes them again afterwards, with an UPDATE, so they keep the exported times."""
    return [
        name
        for name in fields
        if getattr(model._meta.get_field(name), "auto_now", False)
        or getattr(model._meta.get_field(name), "auto_now_add", False)
    ]
