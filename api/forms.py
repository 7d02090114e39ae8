from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from .models import Scope

LIFETIMES = [
    ("", "Never: until I revoke it"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="What will use it, so you can tell your tokens apart."
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text="Give read and write access only to an app that logs entries for you.",
    )
    lifetime = forms.ChoiceField(label="Expires", choices=LIFETIMES, required=False)

    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data["lifetime"]
        return timezone.now() + dt.timedelta(days=int(days)) if days else None
