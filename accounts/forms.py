from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from django import forms

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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["display_name"].max_length = DISPLAY_NAME_MAX_LENGTH
        self.fields["display_name"].label = "Your name"
        self.fields["display_name"].help_text = NAME_HELP + " It is also on your evidence pack."

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_registration_number(self) -> str:
        return self.cleaned_data["registration_number"].upper().replace(" ", "")


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
