"""Forms for choosing what a summary or an evidence pack covers, editing a summary, and
checking a file against a pack's hash."""

from __future__ import annotations

import datetime as dt

from django import forms

from core.periods import Period, period_presets
from portfolio.entry_rules import EARLIEST_DATE
from portfolio.forms import date_field
from regulators.own_periods import registration_presets

from .models import ReflectiveSummary

CUSTOM = "custom"


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period", widget=forms.RadioSelect, initial="current_year")
    start = date_field("From", required=False)
    end = date_field("To", required=False)

    def __init__(self, *args, today: dt.date, owner, **kwargs):
        super().__init__(*args, **kwargs)
        registration = registration_presets(owner, today)
        self.presets = period_presets(today, registration)
        if registration is not None:  # her own period first, and chosen unless she says
            self.fields["period"].initial = "registration_period"
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


class SummaryTextForm(forms.ModelForm):
    class Meta:
        model = ReflectiveSummary
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 24})}
        help_texts = {
            "text": "Markdown: # for a heading, *emphasis*, and a link as "
            "[the words shown](/activities/1/), as the links to your entries are written. "
            "Replace each note in {curly brackets} with your own words."
        }
