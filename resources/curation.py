"""What curators do to the library: save resources with their topics, retire and restore
things, and keep curated lists in order."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from portfolio.models import Capability

from .models import CuratedList, CuratedListItem, Event, Publication, Resource, ResourceTag


def _tags_named(names: list[str]) -> list[ResourceTag]:
    tags = []
    for name in names:  # a handful per resource: one small query each is fine
        tag = ResourceTag.objects.filter(name__iexact=name).first()
        tags.append(tag or ResourceTag.objects.create(name=name))
    return tags


@transaction.atomic
def save_resource(
    resource: Resource, *, capabilities: Iterable[Capability], tag_names: list[str]
) -> Resource:
    """Save ``resource`` (new or changed) with its capabilities and topics, all or nothing."""
    resource.hashtag = resource.hashtag.strip().lstrip("#")
    resource.save()
    resource.capabilities.set(capabilities)
    resource.tags.set(_tags_named(tag_names))
    return resource


def set_publication(item: Resource | CuratedList | Event, status: str) -> None:
    """Retire ``item`` from the library, or bring it back. Nothing is deleted: practitioners'
    entries may point at a retired resource."""
    item.status = Publication(status)
    item.save(update_fields=["status", "updated_at"])


@transaction.atomic
def add_to_list(curated_list: CuratedList, resource: Resource, note: str) -> CuratedListItem:
    """Add ``resource`` at the end of ``curated_list``."""
    last = curated_list.items.aggregate(last=Max("position"))["last"]
    return CuratedListItem.objects.create(
        curated_list=curated_list,
        resource=resource,
        note=note,
        position=0 if last is None else last + 1,
    )


def _renumber(items: list[CuratedListItem]) -> None:
    for position, item in enumerate(items):
        item.position = position
    CuratedListItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def move_in_list(item: CuratedListItem, offset: int) -> None:
    """Move ``item`` ``offset`` places (-1 is up, 1 is down); past either end it stays put."""
    items = list(
        CuratedListItem.objects.select_for_update().filter(curated_list=item.curated_list_id)
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    _renumber(items)


@transaction.atomic
def remove_from_list(item: CuratedListItem) -> None:
    curated_list = item.curated_list
    item.delete()
    _renumber(list(curated_list.items.select_for_update()))
