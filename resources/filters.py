"""The library's filters, one FilterSet for the library page and the API (which takes a
capability and a topic by name: api/filters.py). The library reads A to Z, the resources' own
order; a search orders them by relevance instead."""

from __future__ import annotations

import django_filters

from portfolio.filters import capability_filter

from .library import search_resources
from .models import ResourceKind, ResourceQuerySet, ResourceTag


class LibraryFilter(django_filters.FilterSet):
    """Filters the published resources it is given; each value narrows them further. The help
    texts describe the API's parameters (settings.FILTERS_DISABLE_HELP_TEXT keeps them off
    the page)."""

    q = django_filters.CharFilter(
        label="Search",
        max_length=200,
        method="filter_words",
        help_text="Search words; results come best match first.",
    )
    # Labelled "Kind" by its name: a label of its own would also head the API's description.
    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices, empty_label="Any kind")
    capability = capability_filter()
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        label="Topic",
        queryset=ResourceTag.objects.all(),
        empty_label="Any topic",
    )

    def filter_words(self, resources: ResourceQuerySet, name: str, text: str) -> ResourceQuerySet:
        return search_resources(resources, text)
