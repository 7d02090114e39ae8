import datetime as dt

from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from django import forms
from django.db import transaction

from portfolio.forms import date_field
from regulators.profiles import regulator_choices
from regulators.registrations import (
    RegistrationRefused,
    check_registration,
    registration_of,
    set_registration,
)

from .models import User
from .names import DISPLAY_NAME_MAX_LENGTH, clean_display_name, set_display_name
from .signup_details import forget_signup_details, offered_signup_details

NAME_HELP = "Programme leaders see you by this name when you share your portfolio with them."


def _labelled_not_placeheld(form: forms.Form) -> None:
    """allauth shows its fields with placeholders in place of labels; the site labels every
    field and keeps the box empty, so the hint never vanishes as someone starts typing."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _labelled_not_placeheld(self)
        self.fields["password"].help_text = ""  # the page links to a reset under the form
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"


class _Labelled:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _labelled_not_placeheld(self)


class ResetPasswordForm(_Labelled, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(_Labelled, allauth_forms.ResetPasswordKeyForm):
    pass


class ChangePasswordForm(_Labelled, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(_Labelled, allauth_forms.SetPasswordForm):
    pass


class AddEmailForm(_Labelled, allauth_forms.AddEmailForm):
    pass


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up, asking also for the name leaders will see. An invitation opened
    before signing up offers its address (and the name it gave, if any)."""

    display_name = forms.CharField(
        label="Your name",
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = allauth_context.request
        if request is not None and not self.is_bound:
            offered = offered_signup_details(request)
            for name, value in offered.items():
                self.initial.setdefault(name, value)
        _labelled_not_placeheld(self)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "You will log in with it. We send a link to check it."
        self.fields["password1"].label = "Choose a password"
        self.fields["password2"].label = "Type the password again"

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def save(self, request) -> User:
        user = super().save(request)
        set_display_name(user, self.cleaned_data["display_name"])
        forget_signup_details(request)
        return user


class ProfileForm(forms.ModelForm):
    """The profile, and under "Your regulator" who regulates her and since when
    (regulators.registrations), saved together."""

    # A text field shown as a select: the regulators' own check says what is wrong with
    # anything else sent.
    regulator = forms.CharField(
        label="Regulator",
        required=False,
        widget=forms.Select(choices=regulator_choices),
        help_text="Your checklist, countdown and dates follow its rules. Changing it deletes "
        "nothing.",
    )
    registered_on = date_field("Date of first registration", required=False)

    class Meta:
        model = User
        fields = [
            "display_name",
            "pseudonym",
            "registration_number",
            "specialism",
            "employer",
            "time_zone",
            "cpd_reminders",
        ]

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["display_name"].required = True
        self.fields["display_name"].max_length = DISPLAY_NAME_MAX_LENGTH
        self.fields["display_name"].label = "Your name"
        self.fields["display_name"].help_text = NAME_HELP + " It is also on your evidence pack."
        regulator, registered_on = registration_of(self.instance)
        self.fields["regulator"].initial = regulator.code
        self.fields["registered_on"].initial = registered_on
        self.fields["registered_on"].help_text = (
            "On your registration certificate or your regulator's online account. Needed for "
            "regulators whose renewal or declaration runs from it: all but Social Work England."
        )
        if regulator.registration_number_example:
            self.fields[
                "registration_number"
            ].help_text += f" For example {regulator.registration_number_example}."

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_registration_number(self) -> str:
        return self.cleaned_data["registration_number"].upper().replace(" ", "")

    @property
    def sets_registration(self) -> bool:
        """A post without the section (an older page, a script) leaves the registration."""
        return "regulator" in self.data

    def clean(self) -> dict:
        data = super().clean()
        if self.sets_registration and "registered_on" not in self.errors:
            try:
                check_registration(data["regulator"], data.get("registered_on"), self.today)
            except RegistrationRefused as refusal:
                self.add_error(refusal.field or None, str(refusal))
        return data

    def save(self) -> User:
        with transaction.atomic():
            user = super().save()
            if self.sets_registration:
                set_registration(
                    user,
                    self.cleaned_data["regulator"],
                    self.cleaned_data["registered_on"],
                    self.today,
                )
        return user


class AccountDeletionForm(forms.Form):
    """Deleting an account cannot be undone: the person types their address to confirm."""

    email = forms.CharField(
        label="Type your email address to confirm",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(
                f"That is not your address. Type {self.user.email} to delete your account."
            )
        return email
