"""A practitioner's reading list: resources saved to come back to."""

from __future__ import annotations

from django.db import transaction

from core.fragments import renew_owner_version

from .models import ReadingListEntry, Resource


@transaction.atomic
def set_saved(owner, resource: Resource, saved: bool) -> bool:
    """Put ``resource`` on ``owner``'s reading list, or take it off; returns whether it is on
    it now. Saving twice, or removing what is not there, changes nothing."""
    renew_owner_version(owner.pk)  # her library pages show what she has saved
    if saved:
        ReadingListEntry.objects.get_or_create(owner=owner, resource=resource)
    else:
        ReadingListEntry.objects.for_user(owner).filter(resource=resource).delete()
    return saved
