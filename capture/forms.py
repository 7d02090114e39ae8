from __future__ import annotations

from django import forms
from django.utils import timezone

from portfolio.entry_rules import URL_ERROR
from portfolio.forms import EntryRulesForm, date_field
from portfolio.link_kinds import MAX_URL_LENGTH
from portfolio.models import ActivityType, http_url_validator

from .quick_capture import MAX_TITLE, QuickCapture


class WebLinkField(forms.URLField):
    """A link a browser can open: http or https, never ftp (which Django's own field allows)."""

    default_validators = [http_url_validator]


class QuickCaptureForm(EntryRulesForm, forms.Form):
    """The quick-capture form, posted by the page without JavaScript and sent as JSON by its
    offline sync: one set of rules for both. ``client_id`` names the capture, so sending it
    twice makes one draft."""

    client_id = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This capture has no id: reload the page and try again.",
            "invalid": "This capture's id is not valid: reload the page and try again.",
        },
    )
    title = forms.CharField(
        max_length=MAX_TITLE,
        required=False,
        help_text="Optional with a link: the page's own title is fetched for it.",
    )
    url = WebLinkField(
        label="Link",
        required=False,
        max_length=MAX_URL_LENGTH,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={"invalid": URL_ERROR},
    )
    activity_type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Guess from the link"), *ActivityType.choices],
    )
    occurred_on = date_field("Date")
    duration = forms.CharField(
        label="Time spent",
        required=False,
        help_text="Optional. For example 45m or 1h 30m.",
    )
    note = forms.CharField(
        label="A quick note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What caught your eye. You add the full reflection later.",
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("title") and not data.get("url"):
            self.add_error("title", "Give it a title or a link, so you can find it again.")
        # A capture is a draft whose reflection is written later, in the entry form, which
        # checks the text for identifying details then.
        self.judge_entry(
            {"what_happened": data.get("note", "")},
            owner=self.owner,
            complete=False,
            confirmed=True,
        )
        return data

    @property
    def capture(self) -> QuickCapture:
        data = self.cleaned_data
        return QuickCapture(
            title=data.get("title", ""),
            occurred_on=data["occurred_on"],
            url=data["url"],
            activity_type=data["activity_type"],
            duration_minutes=data.get("duration"),
            note=data.get("note", ""),
        )


class CaptureCardForm(QuickCaptureForm):
    """The card a shared link opens: its link, title and type, saved as a draft in one tap.
    Dated today (the date goes with the card, so a card left open overnight keeps the day it
    was opened); time spent and notes wait for the full form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["duration"], self.fields["note"]
        self.fields["occurred_on"].widget = forms.HiddenInput()
        self.fields["activity_type"].choices = ActivityType.choices
        self.fields["activity_type"].help_text = "Guessed from the link."
