from django import forms

from .models import User


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
