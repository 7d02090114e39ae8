from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from .verification import MAX_CREDENTIAL_BYTES


class VerifyCredentialForm(forms.Form):
    """A credential pasted, or its .jwt file uploaded: one of the two."""

    credential = forms.CharField(
        label="Paste the credential",
        required=False,
        strip=True,
        widget=forms.Textarea({"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
        help_text="The text of the .jwt file: three long parts separated by dots.",
    )
    file = forms.FileField(
        label="or upload its .jwt file",
        required=False,
        error_messages={"invalid": "That was not a file: choose the credential's .jwt file."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(
                f"That file is {filesizeformat(upload.size)}: a credential from this portal "
                f"is never more than {filesizeformat(MAX_CREDENTIAL_BYTES)}, so it is not one."
            )
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        text, upload = cleaned.get("credential"), cleaned.get("file")
        if "file" in self.errors:
            return cleaned
        if not text and not upload:
            raise forms.ValidationError("Paste a credential, or upload its .jwt file.")
        if text and upload:
            raise forms.ValidationError("Paste a credential or upload a file, not both.")
        if upload:
            cleaned["credential"] = upload.read(MAX_CREDENTIAL_BYTES + 1).decode(
                "utf-8", errors="replace"
            )
        return cleaned
