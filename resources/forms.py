from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField

from core.id_fields import IdMultipleChoiceField
from portfolio.entries import parse_tag_names
from portfolio.forms import https_by_default
from portfolio.models import Capability, Platform

from .models import (
    CuratedList,
    CuratedListItem,
    Event,
    EventKind,
    Recurrence,
    Resource,
    ResourceKind,
    Suggestion,
)

WALL_CLOCK_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def _capability_field() -> IdMultipleChoiceField:
    return IdMultipleChoiceField(
        queryset=Capability.objects.select_related("framework"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ResourceForm(forms.ModelForm):
    """A curator's resource. Also checks each row of a CSV import, so both agree on what a
    valid resource is."""

    capabilities = _capability_field()
    tag_names = forms.CharField(
        label="Topics", required=False, help_text="Separated by commas, e.g. mental capacity."
    )

    class Meta:
        model = Resource
        formfield_callback = https_by_default
        fields = ["title", "kind", "url", "source", "platform", "hashtag", "summary"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
            "hashtag": forms.TextInput(attrs={"placeholder": "#SWSCmedia"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a kind"), *ResourceKind.choices]
        self.fields["platform"].choices = [("", "No particular platform"), *Platform.choices]
        if self.instance.pk:
            self.fields["capabilities"].initial = list(self.instance.capabilities.all())
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_tag_names(self) -> list[str]:
        return parse_tag_names(self.cleaned_data["tag_names"])


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        formfield_callback = https_by_default
        fields = ["url", "title", "reason"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 4}),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {"reason": "Who it would help, and what they would learn from it."}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        existing = Resource.objects.published().filter(url=url).first()
        if existing:
            raise ValidationError(f"This link is already in the library as “{existing.title}”.")
        return url


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Why not?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The person who suggested it will read this.",
    )


class CuratedListForm(forms.ModelForm):
    """A curated list's title and introduction. Its address (slug) is optional: a new list's
    is made from its title, and an existing list keeps its own unless the curator types a new
    one, so renaming a published list does not break links to it."""

    class Meta:
        model = CuratedList
        fields = ["title", "slug", "introduction"]
        labels = {"slug": "Address (optional)"}
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields["slug"]
        slug.required = False
        if self.instance.pk:
            slug.help_text = (
                f"Now /library/lists/{self.instance.slug}/. Changing it breaks links people "
                "have saved; leave it empty to keep it."
            )
        else:
            slug.help_text = "Leave it empty to make it from the title."

    def clean_slug(self) -> str:
        # An empty box keeps the address the list has (none yet for a new list: the domain
        # makes one from the title).
        return self.cleaned_data["slug"] or (self.instance.slug if self.instance.pk else "")


class ListItemForm(forms.ModelForm):
    class Meta:
        model = CuratedListItem
        fields = ["resource", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, curated_list: CuratedList, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.published().exclude(
            list_items__curated_list=curated_list
        )
        self.fields["resource"].empty_label = "Choose a resource"


class WallClockField(forms.DateTimeField):
    """A date and time as written on a clock, with no zone yet: the event's own time zone,
    chosen in the same form, says where that clock is."""

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        # Parse the text only; DateTimeField would read it in the server's zone.
        return BaseTemporalField.to_python(self, value)


def _wall_clock_field(label: str) -> WallClockField:
    return WallClockField(
        label=label,
        input_formats=WALL_CLOCK_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time, such as 29/11/2026 20:00."},
    )


def _in_zone(wall_clock: dt.datetime, zone: ZoneInfo) -> dt.datetime | None:
    """``wall_clock`` in ``zone``, or None for a time the clocks skip when they go forward."""
    aware = wall_clock.replace(tzinfo=zone)
    round_trip = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return aware if round_trip == wall_clock else None


class EventForm(forms.ModelForm):
    starts = _wall_clock_field("Starts")
    ends = _wall_clock_field("Ends")

    class Meta:
        model = Event
        formfield_callback = https_by_default
        fields = [
            "title",
            "kind",
            "host",
            "hashtag",
            "platform",
            "url",
            "description",
            "time_zone",
            "recurrence",
            "repeat_until",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
            "hashtag": forms.TextInput(attrs={"placeholder": "#SWSCmedia"}),
            "repeat_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"time_zone": "Where the event is held: the times above are read in it."}

    field_order = ["title", "kind", "host", "hashtag", "platform", "url", "starts", "ends"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a kind"), *EventKind.choices]
        if self.instance.pk:
            zone = ZoneInfo(self.instance.time_zone)
            self.initial["starts"] = self.instance.starts_at.astimezone(zone).replace(tzinfo=None)
            self.initial["ends"] = self.instance.ends_at.astimezone(zone).replace(tzinfo=None)

    def clean_hashtag(self) -> str:
        return self.cleaned_data["hashtag"].strip().lstrip("#")

    def clean(self) -> dict:
        data = super().clean()
        zone_name, starts, ends = data.get("time_zone"), data.get("starts"), data.get("ends")
        if not (zone_name and starts and ends):
            return data
        zone = ZoneInfo(zone_name)
        starts_at, ends_at = _in_zone(starts, zone), _in_zone(ends, zone)
        for name, value in (("starts", starts_at), ("ends", ends_at)):
            if value is None:
                self.add_error(
                    name, f"That time does not exist in {zone_name}: the clocks go forward."
                )
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends", "The event must end after it starts.")
            self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        if data.get("recurrence") == Recurrence.NONE:
            data["repeat_until"] = None
        elif data.get("repeat_until") and data["repeat_until"] < starts.date():
            self.add_error("repeat_until", "The last repeat cannot be before the first session.")
        return data


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="Columns: title, url, kind (required); summary, source, platform, hashtag, "
        "capabilities (codes such as PCF5 SWE4), topics (separated by semicolons).",
    )
