"""Forms for choosing what a summary or an evidence pack covers, editing a summary, and
checking a file against a pack's hash."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from core.id_fields import IdMultipleChoiceField
from portfolio.models import Entry
from summaries.forms import PeriodForm


class EvidencePackForm(PeriodForm):
    include = forms.ChoiceField(
        label="What to include",
        widget=forms.RadioSelect,
        initial="period",
        choices=[
            ("period", "Every complete entry in the period"),
            ("selection", "Only the entries I choose (below)"),
        ],
    )
    entries = IdMultipleChoiceField(
        label="Entries to include",
        queryset=Entry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["entries"].queryset = (
            Entry.objects.for_user(owner).complete().order_by("-occurred_on", "-pk")
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


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="The pack (ZIP), or any file from it, to check",
        help_text="The PDF alone will do. It is hashed and discarded: never stored, never opened.",
        error_messages={
            "required": "Choose a file to check: the pack's ZIP, or a file from it.",
            "invalid": "That was not a file. Choose the pack's ZIP, or a file from it.",
            "empty": "That file is empty, so it cannot be part of a pack.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.VERIFY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"That file is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(settings.VERIFY_UPLOAD_MAX_BYTES)}."
            )
        return upload
