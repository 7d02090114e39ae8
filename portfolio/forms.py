from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.durations import DurationError, format_duration, parse_duration
from core.id_fields import IdMultipleChoiceField

from .confidentiality import Finding
from .entries import parse_tag_names
from .entry_rules import (
    CONFIDENTIAL_TEXT_FIELDS,
    REFLECTION_FIELDS,
    URL_ERROR,
    EntryVerdict,
    identifying_details,
    validate_entry,
)
from .evidence import ACCEPT_ATTRIBUTE, check_evidence_file
from .models import (
    ActivityType,
    Capability,
    Entry,
    Evidence,
    Framework,
    PendingEvidence,
    Platform,
    Status,
)
from .pending_evidence import check_room, form_token, held_files
from .regulator_frameworks import offered_capabilities

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
# An entry's own fields, in the order its forms show them (time spent is typed as text).
ENTRY_FORM_FIELDS = [
    "title",
    "activity_type",
    "platform",
    "url",
    "occurred_on",
    "hashtag",
    *REFLECTION_FIELDS,
    "is_peer_reflected",
    "peer_role",
    "peer_learning",
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def https_by_default(field, **kwargs):
    """Model fields to form fields, reading a link typed without a scheme as https and saying
    plainly what a link must look like when it is not one."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
        kwargs.setdefault("error_messages", {"invalid": URL_ERROR})
    return field.formfield(**kwargs)


def date_field(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, such as 21/11/2026."},
    )


class EntryRulesForm(forms.BaseForm):
    """A form that makes or changes an entry: it reads time spent as typed (``duration``)
    and reports what ``validate_entry`` says beside the fields, so every form is held to the
    entry's one set of rules."""

    def clean_duration(self) -> int | None:
        text = self.cleaned_data["duration"]
        if not text.strip():
            return None
        try:
            return parse_duration(text)
        except DurationError as error:
            raise ValidationError(str(error)) from error

    def judge_entry(self, values: dict, **rules) -> EntryVerdict:
        """``validate_entry`` on what was typed (plus ``values``), its errors added beside
        the fields they are about; a field that could not even be read already says so."""
        entry = {**self.cleaned_data, "duration_minutes": self.cleaned_data.get("duration")}
        verdict = validate_entry({**entry, **values}, today=timezone.localdate(), **rules)
        for name, message in verdict.errors.items():
            field = "duration" if name == "duration_minutes" else name
            if field not in self.errors:
                self.add_error(field, message)
        return verdict


class EntryForm(EntryRulesForm, forms.ModelForm):
    """One form for a draft and a complete entry: which it is depends on the button pressed
    (``action`` = "draft" or "complete"); only a complete entry must carry its reflection."""

    occurred_on = date_field("Date")
    duration = forms.CharField(
        label="Time spent",
        required=False,
        help_text="For example 45m, 1h 30m or 1:30. A number on its own is minutes.",
    )
    tag_names = forms.CharField(
        label="Tags", required=False, help_text="Your own labels, separated by commas."
    )
    capabilities = IdMultipleChoiceField(
        queryset=Capability.objects.select_related("framework"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Declared before ``evidence``, so cleaned first: a file removed frees its room.
    remove_held = IdMultipleChoiceField(
        queryset=PendingEvidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Remove files attached before",
    )
    evidence = MultipleFileField(
        label="Attach evidence",
        required=False,
        help_text="PDFs, images or Office documents. Only you can open them.",
    )
    remove_evidence = IdMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Remove attached files",
    )
    confirm_no_identifying_details = forms.BooleanField(
        required=False,
        label="I have checked: these details do not identify anyone who uses services.",
    )

    class Meta:
        model = Entry
        formfield_callback = https_by_default
        fields = [*ENTRY_FORM_FIELDS, "capabilities", "resource"]
        widgets = {
            # Set when the entry is logged from the library; the form only carries it along.
            "resource": forms.HiddenInput,
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "what_learned": forms.Textarea(attrs={"rows": 4}),
            "impact": forms.Textarea(attrs={"rows": 4}),
            "peer_learning": forms.Textarea(attrs={"rows": 3}),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
            "hashtag": forms.TextInput(attrs={"placeholder": "#SWSCmedia"}),
        }
        help_texts = {
            "what_happened": "A short description of the activity and why it is relevant.",
            "url": "Optional: where to find it again.",
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.findings: list[Finding] = []
        for name in CONFIDENTIAL_TEXT_FIELDS:
            self._check_while_typing(name)
        # Files chosen on an earlier try of this form that came back with an error, held
        # against the token its hidden field carries (portfolio/pending_evidence.py). A form
        # shown afresh has a new token, so holds none: no query.
        self.upload_token = form_token(self.data.get("upload_token"))
        held = held_files(owner, self.upload_token)
        self.fields["remove_held"].queryset = held
        self.held: list[PendingEvidence] = list(held) if self.is_bound else []
        # The files this try chose that passed their checks: held if the form has errors.
        self.accepted_uploads: list = []
        self.fields["occurred_on"].initial = timezone.localdate()
        self.fields["capabilities"].queryset = offered_capabilities(owner, self.instance)
        self.fields["activity_type"].choices = [("", "Choose a type"), *ActivityType.choices]
        self.fields["platform"].choices = [("", "Choose a platform (optional)"), *Platform.choices]
        if self.instance.pk:
            self.fields["duration"].initial = format_duration(self.instance.duration_minutes)
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
            self.fields["remove_evidence"].queryset = self.instance.evidence.all()
        else:
            del self.fields["remove_evidence"]

    def _check_while_typing(self, name: str) -> None:
        """Have the browser (htmx) send this field's text alone, after a pause in typing and
        on leaving it, and show what the check finds right under it
        (templates/forms/checked_field.html)."""
        field = self.fields[name]
        field.template_name = "forms/checked_field.html"
        field.widget.attrs.update(
            {
                "hx-post": reverse("portfolio:confidentiality_check_field", args=[name]),
                "hx-trigger": "input changed delay:600ms, blur",
                "hx-params": name,
                "hx-target": f"#{self[name].auto_id}_confidentiality",
                "hx-sync": "this:replace",
            }
        )

    def confidentiality_reminder(self) -> str:
        """A summary of every finding, field by field, for the message shown once the entry
        is saved (names and addresses never stop a save, so this is where they are repeated);
        empty when nothing was found or the user ticked that nothing identifies anyone."""
        if not self.findings or self.cleaned_data.get("confirm_no_identifying_details"):
            return ""
        details = "; ".join(
            f"{finding.label} “{finding.excerpt}” in {self[finding.field].label}"
            for finding in self.findings
        )
        return f"Check that this does not identify anyone who uses services: {details}."

    @property
    def completing(self) -> bool:
        return self.data.get("action") == "complete"

    @property
    def capability_groups(self) -> list[tuple[Framework, list[tuple[Capability, bool]]]]:
        """Capabilities grouped by framework, each with whether it is ticked."""
        if self.is_bound:
            chosen = {str(pk) for pk in self.data.getlist("capabilities")}
        else:
            chosen = {str(c.pk) for c in self.initial.get("capabilities", [])}
        groups: dict[int, tuple[Framework, list[tuple[Capability, bool]]]] = {}
        for capability in self.fields["capabilities"].queryset:
            group = groups.setdefault(capability.framework_id, (capability.framework, []))
            group[1].append((capability, str(capability.pk) in chosen))
        return list(groups.values())

    def clean_tag_names(self) -> list[str]:
        return parse_tag_names(self.cleaned_data["tag_names"])

    @property
    def kept_held(self) -> list[PendingEvidence]:
        """The held files this try did not ask to remove."""
        removed = set(self.cleaned_data.get("remove_held", []))
        return [held for held in self.held if held not in removed]

    def clean_evidence(self) -> list:
        files = self.cleaned_data["evidence"]
        used = sum(held.size for held in self.kept_held)
        errors = []
        for upload in files:
            try:
                check_evidence_file(upload)
                check_room(upload, used)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                self.accepted_uploads.append(upload)
                used += upload.size
        if errors:
            errors.append(
                "Nothing else you typed or attached is lost: choose another file, or save "
                "without it."
            )
            raise ValidationError(errors)
        return files

    def clean(self) -> dict:
        data = super().clean()
        verdict = self.judge_entry(
            {"id": self.instance.pk},
            owner=self.owner,
            complete=self.completing,
            confirmed=bool(data.get("confirm_no_identifying_details")),
        )
        self.findings = verdict.findings
        self.instance.status = Status.COMPLETE if self.completing else Status.DRAFT
        self.instance.duration_minutes = data.get("duration")
        return data


class ConfidentialityCheckForm(forms.Form):
    """The text fields of an activity, checked as the user types."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CONFIDENTIAL_TEXT_FIELDS:
            self.fields[name] = forms.CharField(required=False)

    def findings(self) -> list[Finding]:
        if not self.is_valid():
            return []
        return identifying_details(self.cleaned_data)
