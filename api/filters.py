"""Query filters of the API's lists. Each declares its parameters (checked, and described in
the schema) and hands the valid ones to the same function the web page filters with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from portfolio.log import filter_log
from portfolio.models import ActivityType, Capability, Platform, Status, Tag
from resources.library import filter_library
from resources.models import ResourceKind, ResourceTag


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


def capability_named(value: str) -> Capability | None:
    """The capability with the id or the code (``PCF5``, any case) ``value``."""
    key = Q(code__iexact=value)
    if value.isascii() and value.isdigit():
        key |= Q(pk=int(value))
    return Capability.objects.filter(key).first()


class _NamingFilterSet(filters.FilterSet):
    """Hands the valid values to ``apply``, once each value in ``named_by()`` is turned into
    the object it names; a name that names nothing matches nothing."""

    capability = filters.CharFilter(help_text="A capability's id or code, such as PCF5.")

    def named_by(self) -> dict[str, Callable[[str], Model | None]]:
        return {"capability": capability_named}

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        values = dict(self.form.cleaned_data)
        for name, find in self.named_by().items():
            if values[name]:
                values[name] = find(values[name])
                if values[name] is None:
                    return queryset.none()
        return self.apply(queryset, values)


class ActivityFilter(_NamingFilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    activity_type = filters.ChoiceFilter(choices=ActivityType.choices)
    platform = filters.ChoiceFilter(choices=Platform.choices)
    date_from = filters.DateFilter(help_text="Entries dated on or after this day.")
    date_to = filters.DateFilter(help_text="Entries dated on or before this day.")
    tag = filters.CharFilter(help_text="One of your tags, by name.")
    q = filters.CharFilter(help_text="Words that must all appear in the entry or its tags.")
    updated_since = UtcIsoDateTimeFilter(
        help_text="Entries changed at or after this moment (ISO 8601), for syncing."
    )

    def named_by(self) -> dict[str, Callable[[str], Model | None]]:
        tags = Tag.objects.for_user(self.request.user)
        return {
            **super().named_by(),
            "tag": lambda name: tags.filter(name__iexact=name.lstrip("#")).first(),
        }

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        return filter_log(queryset, values)


class ResourceFilter(_NamingFilterSet):
    kind = filters.ChoiceFilter(choices=ResourceKind.choices)
    tag = filters.CharFilter(help_text="A topic, by name.")
    q = filters.CharFilter(help_text="Search words; results come best match first.")

    def named_by(self) -> dict[str, Callable[[str], Model | None]]:
        return {
            **super().named_by(),
            "tag": lambda name: ResourceTag.objects.filter(name__iexact=name).first(),
        }

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        return filter_library(queryset, values)


class CapabilityFilter(filters.FilterSet):
    framework = filters.CharFilter(
        field_name="framework__slug", help_text="A framework's slug, such as pcf."
    )
