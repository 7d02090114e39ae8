"""Forms for starting an import and for editing one staged entry before it is confirmed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat

from core.durations import format_duration
from portfolio.entry_rules import URL_ERROR
from portfolio.forms import (
    ENTRY_FORM_FIELDS,
    EntryForm,
    EntryRulesForm,
    date_field,
    https_by_default,
)
from portfolio.models import ActivityType, Platform

from .importers.base import upload_limit
from .models import ImportSource, StagedEntry
from .staging import ACCEPTED_SUFFIXES, WHAT_TO_UPLOAD


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label="What are you importing?",
        widget=forms.RadioSelect,
        choices=ImportSource.choices,
        initial=ImportSource.X,
    )
    file = forms.FileField(
        label="File",
        required=False,
        widget=forms.FileInput(
            attrs={"accept": ",".join(sorted({s for v in ACCEPTED_SUFFIXES.values() for s in v}))}
        ),
    )
    feed_url = forms.URLField(
        label="Or the feed's address",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Blog feeds only: the address of its RSS or Atom feed.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={"invalid": URL_ERROR},
    )
    own_feed = forms.BooleanField(
        label="This is my own blog (its posts are ones I wrote)",
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"Up to {filesizeformat(upload_limit())}. Nothing reaches your log until you have "
            "reviewed what it proposes and confirmed."
        )

    @property
    def explained_sources(self) -> list[tuple[Any, str]]:
        """Each source's radio button with what to upload for it."""
        return [(radio, WHAT_TO_UPLOAD[radio.data["value"]]) for radio in self["source"]]

    def clean(self) -> dict:
        data = super().clean()
        source, upload, feed_url = data.get("source"), data.get("file"), data.get("feed_url")
        if not source or "feed_url" in self.errors:
            return data
        if feed_url and source != ImportSource.FEED:
            self.add_error("feed_url", "Only a blog feed is imported from an address.")
        elif feed_url and upload:
            self.add_error("feed_url", "Give the file or the address, not both.")
        elif not (feed_url or upload):
            self.add_error("file", f"Choose a file to import: {WHAT_TO_UPLOAD[source]}.")
        return data


class StagedEntryForm(EntryRulesForm, forms.ModelForm):
    """A staged entry edited with the entry form's own fields and checks: dates, times and
    tags are typed and read exactly as when logging an entry."""

    occurred_on = date_field("Date")
    duration = EntryForm.declared_fields["duration"]
    tag_names = EntryForm.declared_fields["tag_names"]
    clean_tag_names = EntryForm.clean_tag_names

    class Meta:
        model = StagedEntry
        formfield_callback = https_by_default
        fields = [*ENTRY_FORM_FIELDS, "tag_names"]
        widgets = EntryForm.Meta.widgets
        help_texts = EntryForm.Meta.help_texts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].choices = ActivityType.choices
        self.fields["platform"].choices = [("", "Choose a platform (optional)"), *Platform.choices]
        self.initial["duration"] = format_duration(self.instance.duration_minutes)
        self.initial["tag_names"] = ", ".join(self.instance.tag_names)

    def clean(self) -> dict:
        data = super().clean()
        # Whether it comes in complete, and its details, are judged when it is confirmed.
        self.judge_entry({}, owner=self.instance.batch.owner, complete=False, confirmed=True)
        self.instance.duration_minutes = data.get("duration")
        return data
