from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .models import PeerConfirmation
from .requests import Answer


class RequestForm(forms.ModelForm):
    """On the owner's entry page: whom to ask, and a note for the email."""

    class Meta:
        model = PeerConfirmation
        fields = ["email", "note"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "note": forms.TextInput(),
        }


CONFIRM, CORRECT = "confirm", "correct"


class AnswerForm(forms.Form):
    """On the colleague's page: the address the link came to, who they are, and their answer.
    The rules of an answer are peer_confirmations.requests.Answer's; this form reads it."""

    address = forms.EmailField(
        label="The email address this link was sent to",
        help_text="To check the link reached the colleague it was meant for.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(label="Your name", max_length=120)
    role = forms.CharField(
        label="Your role", max_length=120, help_text="For example: team manager, practice educator."
    )
    registration_number = forms.CharField(
        label="Your registration number (optional)",
        max_length=20,
        required=False,
        help_text="With Social Work England (e.g. SW123456) or your own regulator.",
    )
    verdict = forms.ChoiceField(
        label="Your answer",
        choices=[
            (CONFIRM, "This is a fair account of our discussion"),
            (CORRECT, "I would put it differently: here is my correction"),
        ],
        widget=forms.RadioSelect,
    )
    correction = forms.CharField(
        label="Your correction",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only if you chose to correct it: what you would put differently.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("verdict") == CORRECT and not data.get("correction", "").strip():
            self.add_error("correction", "Write your correction, or choose a fair account.")
        return data

    def answer(self) -> Answer | None:
        """The answer, checked by its own rules (errors added to the form); None if invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        correction = data["correction"] if data["verdict"] == CORRECT else ""
        try:
            return Answer(
                data["name"], data["role"], data["registration_number"], correction
            ).cleaned()
        except ValidationError as errors:
            self.add_error(None, errors)
            return None
