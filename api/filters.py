"""Query filters of the API's lists. The log and the library take the filters of their pages
(portfolio.filters.LogFilter, resources.filters.LibraryFilter), with a capability and a tag
named in the query rather than chosen from the page's list, and a name that names nothing
matching nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from core.id_fields import is_storable_id
from portfolio.filters import LogFilter
from portfolio.models import Capability, Platform, Tag
from resources.filters import LibraryFilter
from resources.models import ResourceTag


class _UtcIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        # PostgreSQL refuses offsets of 16 hours or more, which ISO 8601 allows: compare in UTC.
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError as error:
            raise ValidationError("Enter a moment between the years 1 and 9999.") from error


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _UtcIsoDateTimeField


class NamedFilter(filters.CharFilter):
    """A parameter naming what the page's filter of the same name picks from a list:
    ``find(request, name)`` turns the name into that object, which filters by ``field_name``
    as the page's choice does, and a name that names nothing matches nothing."""

    def __init__(self, *, find: Callable[[HttpRequest, str], Model | None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.find = find

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value or queryset.query.is_empty():  # matches nothing already: no look-up
            return queryset
        named = self.find(self.parent.request, value)
        if named is None:
            return queryset.none()
        return super().filter(queryset, named)


def capability_named(request: HttpRequest, value: str) -> Capability | None:
    """The capability with the id or the code (``PCF5``, any case) ``value``."""
    key = Q(code__iexact=value)
    if value.isascii() and value.isdigit() and is_storable_id(value):
        key |= Q(pk=int(value))
    return Capability.objects.filter(key).first()


def own_tag_named(request: HttpRequest, name: str) -> Tag | None:
    """The caller's tag called ``name`` (any case, with or without a #)."""
    return Tag.objects.for_user(request.user).filter(name__iexact=name.lstrip("#")).first()


def topic_named(request: HttpRequest, name: str) -> ResourceTag | None:
    return ResourceTag.objects.filter(name__iexact=name).first()


CAPABILITY_HELP = "A capability's id or code, such as PCF5."


class EntryFilter(LogFilter):
    """The log page's filters, with a capability and a tag by name, without the CPD year, and
    with the platform and the moment of the last change besides."""

    capability = NamedFilter(
        field_name="capabilities", find=capability_named, help_text=CAPABILITY_HELP
    )
    tag = NamedFilter(field_name="tags", find=own_tag_named, help_text="One of your tags, by name.")
    year = None  # the page's alone: an API client filters by dates
    platform = filters.ChoiceFilter(choices=Platform.choices)
    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Entries changed at or after this moment (ISO 8601), for syncing.",
    )


class ResourceFilter(LibraryFilter):
    """The library page's filters, with a capability and a topic by name."""

    capability = NamedFilter(
        field_name="capabilities", find=capability_named, help_text=CAPABILITY_HELP
    )
    tag = NamedFilter(field_name="tags", find=topic_named, help_text="A topic, by name.")


class CapabilityFilter(filters.FilterSet):
    framework = filters.CharFilter(
        field_name="framework__slug", help_text="A framework's slug, such as pcf."
    )
