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
