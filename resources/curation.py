"""What curators do to the library: save resources with their topics, retire and restore
things, and keep curated lists in order."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Max
from django.utils.text import slugify

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


class NothingToPublish(ValueError):
    """A curated list with no published resource on it cannot be published: practitioners
    would open an empty page. The message is for the curator."""


def unique_slug(model: type[models.Model], title: str, *, field: str = "slug") -> str:
    """An address made from ``title`` that no other row of ``model`` has yet: "care-act",
    then "care-act-2", "care-act-3"... on a clash. (The unique constraint still has the last
    word should two curators save the same title at the same instant.)"""
    max_length = model._meta.get_field(field).max_length
    base = slugify(title)[: max_length - 4].strip("-") or model._meta.model_name
    taken = set(
        model._default_manager.filter(**{f"{field}__startswith": base}).values_list(
            field, flat=True
        )
    )
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


@transaction.atomic
def save_list(curated_list: CuratedList) -> CuratedList:
    """Save a curated list, new or changed. A new one without an address gets one from its
    title, and starts unpublished (the model's default). A changed title leaves the address
    alone: links to a published list keep working."""
    if not curated_list.slug:
        curated_list.slug = unique_slug(CuratedList, curated_list.title)
    curated_list.save()
    return curated_list


def set_publication(item: Resource | CuratedList | Event, status: str) -> None:
    """Publish ``item``, retire it from the library, or bring it back. Nothing is deleted:
    practitioners' entries may point at a retired resource. A curated list is published only
    with at least one published resource on it (NothingToPublish otherwise)."""
    status = Publication(status)
    if (
        isinstance(item, CuratedList)
        and status == Publication.PUBLISHED
        and not item.items.filter(resource__status=Publication.PUBLISHED).exists()
    ):
        raise NothingToPublish(
            f"“{item.title}” has no published resource on it yet: add at least one, "
            "then publish it."
        )
    item.status = status
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
