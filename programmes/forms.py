from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from core.cpd_year import CpdYear, cpd_year_containing, cpd_year_ending_in
from core.id_fields import IdChoiceField
from portfolio.forms import https_by_default

from .invitations import MAX_INVITATIONS, Invitee, Unreadable, read_pasted_addresses
from .models import Cohort, Membership, Programme, SignOff, Snapshot, SubmissionStatus
from .overview import NO_SUBMISSION, SORT_KEYS

YEARS_OFFERED = 4  # this CPD year and the three before it
WHOLE_PORTFOLIO = "all"


def recent_years(today: dt.date) -> list[CpdYear]:
    years = [cpd_year_containing(today)]
    while len(years) < YEARS_OFFERED:
        years.append(years[-1].previous())
    return years


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        formfield_callback = https_by_default
        fields = ["name", "description", "institution", "institution_url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name"]
        labels = {"name": "Cohort name"}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if self.programme.cohorts.filter(name__iexact=name).exists():
            raise ValidationError(f"{self.programme} already has a cohort called {name}.")
        return name


class CoLeaderForm(forms.Form):
    email = forms.EmailField(
        label="Co-leader's email address",
        help_text="They need an account with the programme leader role.",
    )


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label="Students' email addresses",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        # Django renders help text as HTML: the example's angle brackets must be escaped.
        help_text=escape(
            "Paste them as they come: separated by commas, semicolons or new lines, "
            "with or without names (Alice Student <alice@example.net>). Each student gets a "
            "link to join that works once; anything that is not an address is listed for you "
            "to correct, and the rest are still invited."
        ),
    )

    def clean_emails(self) -> list[Invitee | Unreadable]:
        found = read_pasted_addresses(self.cleaned_data["emails"])
        if not found:
            raise ValidationError("Paste at least one email address.")
        if sum(isinstance(each, Invitee) for each in found) > MAX_INVITATIONS:
            raise ValidationError(f"Invite at most {MAX_INVITATIONS} students at a time.")
        return found


class SharingForm(forms.Form):
    """The student's consent: the whole portfolio, or one CPD year."""

    shared = forms.ChoiceField(label="What do you share?", widget=forms.RadioSelect)

    def __init__(self, *args, today: dt.date, membership: Membership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        years = {year.end.year: year for year in recent_years(today)}
        if membership is not None and membership.shared_year:
            years.setdefault(membership.shared_year, cpd_year_ending_in(membership.shared_year))
        self.fields["shared"].choices = [
            (WHOLE_PORTFOLIO, "My whole portfolio: the complete entries of every year"),
            *[(str(end), f"CPD year {year.label} only") for end, year in years.items()],
        ]
        if membership is None:  # offer the least: this year only
            self.fields["shared"].initial = str(next(iter(years)))
        else:
            self.fields["shared"].initial = str(membership.shared_year or WHOLE_PORTFOLIO)

    @property
    def shared_year(self) -> int | None:
        value = self.cleaned_data["shared"]
        return None if value == WHOLE_PORTFOLIO else int(value)


class PackShareForm(forms.Form):
    """The cohorts to share one evidence pack with: one box for each whose consent covers it."""

    memberships = forms.TypedMultipleChoiceField(
        label="Share this pack with",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick at least one programme to share this pack with.",
            "invalid_choice": "What you share with that programme has changed since the page "
            "was shown: look again at the choices below and share the pack once more.",
        },
    )

    def __init__(self, *args, memberships: list[Membership], **kwargs):
        super().__init__(*args, **kwargs)
        self._memberships = {membership.pk: membership for membership in memberships}
        self.fields["memberships"].choices = [
            (pk, f"The leaders of {m.cohort.programme} ({m.cohort.name})")
            for pk, m in self._memberships.items()
        ]

    @property
    def chosen(self) -> list[Membership]:
        return [self._memberships[pk] for pk in self.cleaned_data["memberships"]]


class SubmitForm(forms.Form):
    year = forms.TypedChoiceField(label="CPD year to submit", coerce=int)
    note = forms.CharField(
        label="Note to your programme leader",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional.",
    )

    def __init__(self, *args, membership: Membership, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        years = recent_years(today)
        if membership.shared_year:
            years = [cpd_year_ending_in(membership.shared_year)]
        self.fields["year"].choices = [(year.end.year, year.label) for year in years]

    @property
    def cpd_year(self) -> CpdYear:
        return cpd_year_ending_in(self.cleaned_data["year"])


class ResubmitForm(forms.Form):
    note = forms.CharField(
        label="What did you change?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional, for your programme leader.",
    )


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", max_length=4000, widget=forms.Textarea({"rows": 2}))
    entry = IdChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, snapshot: Snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = snapshot.entries.all()
        self.fields["entry"].error_messages["invalid_choice"] = (
            f"That entry is not part of version {snapshot.number}, the version under review, "
            "so it cannot be commented on."
        )


class ReplyForm(forms.Form):
    text = forms.CharField(label="Reply", max_length=4000, widget=forms.Textarea({"rows": 2}))


class RequestChangesForm(forms.Form):
    text = forms.CharField(
        label="What needs to change",
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
        help_text="The student sees this and can reply before resubmitting.",
    )


class RevokeSignOffForm(forms.Form):
    reason = forms.CharField(
        label="Why you revoke the sign-off",
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text="The student is told, and the reason stays in the audit trail.",
        error_messages={"required": "Say why you revoke the sign-off."},
    )


class SignOffForm(forms.ModelForm):
    # Required here and by review.sign_off: a sign-off is never one stray click.
    confirmed = forms.BooleanField(
        label="I confirm that I have reviewed this version and sign it off with this statement.",
        error_messages={"required": "Tick this box to confirm the sign-off."},
    )

    class Meta:
        model = SignOff
        fields = ["name", "role", "signed_on", "statement"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "statement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, declaration: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if declaration:
            self.fields["confirmed"].label = declaration

    def clean_signed_on(self) -> dt.date:
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise ValidationError("A sign-off cannot be dated in the future.")
        return day


def _sort_choices() -> list[tuple[str, str]]:
    return [(key, key) for name in SORT_KEYS for key in (name, f"-{name}")]


class OverviewFilterForm(forms.Form):
    q = forms.CharField(label="Student", required=False, max_length=100)
    checklist = forms.ChoiceField(
        label="Regulator checklist",
        required=False,
        choices=[("", "Any"), ("met", "Met"), ("unmet", "Not yet met")],
    )
    submission = forms.ChoiceField(
        label="Submission",
        required=False,
        choices=[("", "Any"), (NO_SUBMISSION, "Not submitted"), *SubmissionStatus.choices],
    )
    sort = forms.ChoiceField(required=False, choices=_sort_choices, widget=forms.HiddenInput)
