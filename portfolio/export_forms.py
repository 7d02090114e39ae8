"""Forms for choosing what a summary or an evidence pack covers, editing a summary, and
checking a file against a pack's hash."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .forms import EARLIEST_DATE, date_field
from .models import Activity, ReflectiveSummary
from .periods import Period, period_presets

CUSTOM = "custom"


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period", widget=forms.RadioSelect, initial="current_year")
    start = date_field("From", required=False)
    end = date_field("To", required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.presets = period_presets(today)
        self.fields["period"].choices = [
            *((key, label) for key, (label, _) in self.presets.items()),
            (CUSTOM, "Other dates (below)"),
        ]

    def clean(self) -> dict:
        data = super().clean()
        key = data.get("period")
        if key in self.presets:
            data["chosen_period"] = self.presets[key][1]
        elif key == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not (start and end):
                raise forms.ValidationError("Give both dates for other dates.")
            if start > end:
                self.add_error("end", "The end date must come after the start date.")
            elif start < EARLIEST_DATE:
                self.add_error("start", f"Start on or after {EARLIEST_DATE:%-d %B %Y}.")
            else:
                data["chosen_period"] = Period(start, end)
        return data


class ExportForm(PeriodForm):
    include = forms.ChoiceField(
        label="What to include",
        widget=forms.RadioSelect,
        initial="period",
        choices=[
            ("period", "Every complete entry in the period"),
            ("selection", "Only the entries I choose (below)"),
        ],
    )
    entries = forms.ModelMultipleChoiceField(
        label="Entries to include",
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = (
            Activity.objects.for_user(owner).complete().order_by("-occurred_on", "-pk")
        )
        self.fields["entries"].label_from_instance = lambda a: (
            f"{a.occurred_on:%-d %b %Y}: {a.title}"
        )

    def clean(self) -> dict:
        if self.data.get("include") == "selection":
            # The period is not used for a selection: don't let it hold the form back.
            self.fields["period"].required = False
            data = forms.Form.clean(self)
            if not data.get("entries"):
                self.add_error("entries", "Choose at least one entry.")
            return data
        return super().clean()


class SummaryTextForm(forms.ModelForm):
    class Meta:
        model = ReflectiveSummary
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 24})}
        help_texts = {
            "text": "Markdown: # for a heading, *emphasis*, [a link](/activities/1/). "
            "Replace anything in [square brackets] with your own words."
        }


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="The evidence pack (ZIP) to check",
        help_text="It is hashed and discarded: never stored, never opened.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.VERIFY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"That file is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(settings.VERIFY_UPLOAD_MAX_BYTES)}."
            )
        return upload
