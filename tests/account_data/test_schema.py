"""The published schema says what the models say: each list of choices it names is the
model's, so a new activity type or platform cannot leave the schema behind, and every field
the export writes is one the schema requires."""

from __future__ import annotations

import pytest

from account_data import records
from account_data.importing import export_schema, schema_validator
from accounts.models import Role
from api.models import Scope
from core.models import WorkState
from portfolio.models import ActivityType, Platform, Status
from programmes.models import AuditAction, NotificationKind, SubmissionStatus
from resources.models import SuggestionStatus


def definition(*path: str) -> dict:
    node = export_schema()
    for key in path:
        node = node["properties"][key] if key != "[]" else node["items"]
    return node


@pytest.mark.parametrize(
    ("path", "choices"),
    [
        (("entries", "[]", "activity_type"), ActivityType),
        (("entries", "[]", "platform"), Platform),
        (("entries", "[]", "status"), Status),
        (("summaries", "[]", "state"), WorkState),
        (("notifications", "[]", "kind"), NotificationKind),
        (("profile", "role"), Role),
        (("access_tokens", "[]", "scope"), Scope),
        (("suggestions", "[]", "status"), SuggestionStatus),
        (("programmes", "[]", "submissions", "[]", "status"), SubmissionStatus),
        (("programmes", "[]", "submissions", "[]", "history", "[]", "action"), AuditAction),
        (("programmes", "[]", "consent_history", "[]", "action"), AuditAction),
    ],
)
def test_the_schema_lists_the_models_choices(path, choices):
    allowed = set(definition(*path)["enum"])
    # A blank platform means "not said", as the model allows.
    assert allowed - {""} == set(choices.values)


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (("profile",), records.PROFILE_FIELDS),
        (("entries", "[]"), records.ENTRY_FIELDS),
        (("entries", "[]", "evidence", "[]"), records.EVIDENCE_FIELDS),
        (("entries", "[]", "peer_confirmations", "[]"), records.PEER_CONFIRMATION_FIELDS),
        (("summaries", "[]"), records.SUMMARY_FIELDS),
        (("notifications", "[]"), records.NOTIFICATION_FIELDS),
        (("access_tokens", "[]"), records.ACCESS_TOKEN_FIELDS),
        (("suggestions", "[]"), records.SUGGESTION_FIELDS),
    ],
)
def test_the_schema_requires_every_field_the_export_writes(path, fields):
    assert set(fields) <= set(definition(*path)["required"])


def test_the_schema_is_a_valid_json_schema():
    schema_validator().check_schema(export_schema())
