"""Practitioners suggest resources; curators approve them into the library or decline them
with a reason the suggester reads."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portfolio.models import Capability

from .curation import save_resource
from .models import Resource, Suggestion, SuggestionStatus


class AlreadyDecided(Exception):
    """The suggestion was approved or declined already (by another curator, or a resubmitted
    form): deciding again would overwrite what its author was told."""


def _decide(suggestion: Suggestion, curator, status: str) -> Suggestion:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not locked.is_pending:
        raise AlreadyDecided(str(locked))
    locked.status = status
    locked.decided_by = curator
    locked.decided_at = timezone.now()
    return locked


@transaction.atomic
def approve_suggestion(
    suggestion: Suggestion,
    resource: Resource,
    curator,
    *,
    capabilities: Iterable[Capability],
    tag_names: list[str],
) -> Resource:
    """Add ``resource``, as the curator finished it from ``suggestion``, to the library and
    tell the suggester it is there."""
    decided = _decide(suggestion, curator, SuggestionStatus.APPROVED)
    decided.resource = save_resource(resource, capabilities=capabilities, tag_names=tag_names)
    decided.save()
    return decided.resource


@transaction.atomic
def decline_suggestion(suggestion: Suggestion, curator, reason: str) -> Suggestion:
    decided = _decide(suggestion, curator, SuggestionStatus.DECLINED)
    decided.decline_reason = reason.strip()
    decided.save()
    return decided
