"""The log's filters, one FilterSet for the log page and the API (which takes a capability and
a tag by name: api/filters.py). An invalid filter is reported; the page leaves it out and
applies the rest, the API refuses the request."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from core.cpd_year import cpd_year_ending_in

from .forms import DATE_INPUT_FORMATS
from .log import years_with_entries
from .models import ActivityType, Capability, EntryQuerySet, Status, Tag

# A day is typed as on the entry form.
_DAY_FIELD = {
    "input_formats": DATE_INPUT_FORMATS,
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "error_messages": {"invalid": "Enter a real date, such as 21/11/2026."},
}


def capability_filter(
    kind: type[django_filters.ModelChoiceFilter] = django_filters.ModelChoiceFilter,
) -> django_filters.ModelChoiceFilter:
    """Narrow to what is mapped to one capability: the log's and the library's filter alike."""
    return kind(
        field_name="capabilities",
        label="Capability",
        queryset=Capability.objects.select_related("framework"),
        empty_label="Any capability",
    )


class CpdYearFilter(django_filters.Filter):
    """A CPD year, by the calendar year it ends in; it offers the current year and every year
    that holds one of the entries being filtered."""

    field_class = forms.ChoiceField

    @property
    def field(self) -> forms.ChoiceField:
        if "choices" not in self.extra:  # once per filter set, when its form is built
            years = years_with_entries(self.parent.queryset, timezone.localdate())
            self.extra["choices"] = [("", "Any year"), *((y.slug, y.label) for y in years)]
        return super().field

    def filter(self, entries: EntryQuerySet, slug: str) -> EntryQuerySet:
        if not slug:
            return entries
        return entries.in_year(cpd_year_ending_in(int(slug)))


class _ListedChoices(django_filters.fields.ModelChoiceIterator):
    """The choices of a _ListedModelChoiceField: its queryset's rows as they were fetched,
    where Django's iterator would query them again."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for row in self.queryset:
            yield self.choice(row)


class _ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A choice from a short list (the capabilities, the owner's tags), fetched once a form:
    the chosen row is found among the rows the list shows, not looked up by a query of its
    own."""

    iterator = _ListedChoices

    def to_python(self, value) -> Model | None:
        if value in self.empty_values:
            return None
        try:
            pk = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            pk = None
        for row in self.queryset:  # the first pass fetches them; later ones read its cache
            if row.pk == pk:
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class _ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ListedModelChoiceField


def _owners_tags(request: HttpRequest) -> QuerySet[Tag]:
    return Tag.objects.for_user(request.user)


class _DatesInOrderForm(forms.Form):
    """The form a LogFilter builds its fields on: it also checks the dates are in order."""

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data


class LogFilter(django_filters.FilterSet):
    """Filters the owner's entries it is given; each value narrows them further. The help
    texts describe the API's parameters (settings.FILTERS_DISABLE_HELP_TEXT keeps them off
    the page)."""

    q = django_filters.CharFilter(
        label="Search",
        # As the library's: longer is no search anyone types, and SQLite refuses a LIKE
        # pattern of more than 50,000 bytes.
        max_length=200,
        method="filter_words",
        help_text="Words that must all appear in the entry or its tags.",
    )
    activity_type = django_filters.ChoiceFilter(
        label="Type", choices=ActivityType.choices, empty_label="Any type"
    )
    capability = capability_filter(_ListedModelChoiceFilter)
    tag = _ListedModelChoiceFilter(
        field_name="tags", label="Tag", queryset=_owners_tags, empty_label="Any tag"
    )
    year = CpdYearFilter(label="CPD year")
    date_from = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="gte",
        label="From",
        help_text="Entries dated on or after this day.",
        **_DAY_FIELD,
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="lte",
        label="To",
        help_text="Entries dated on or before this day.",
        **_DAY_FIELD,
    )
    # Labelled "Status" by its name: a label of its own would also head the API's description.
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Drafts and complete")

    class Meta:
        form = _DatesInOrderForm

    def filter_words(self, entries: EntryQuerySet, name: str, text: str) -> EntryQuerySet:
        return entries.search(text, self.request.user)


def active_filter_count(query: QueryDict) -> int:
    """How many of the log's filters a query sets, as "Filter (2 active)" says: an invalid one
    counts too, since the form shows it with its error."""
    return sum(1 for name in LogFilter.base_filters if query.get(name, "").strip())
