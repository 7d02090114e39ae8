"""The credentials the portal issued, and the public halves of the keys that signed them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from programmes.models import SignOff


class SigningKey(models.Model):
    """The public half of a key the portal has signed credentials with, kept so that they
    still verify after the key is replaced (credentials.keys). Never the private half."""

    # RFC 7638 thumbprint: the key's own name, the last part of its ``kid`` address.
    thumbprint = models.CharField(max_length=64, unique=True)
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.thumbprint


class IssuedCredential(models.Model):
    """The Open Badges 3.0 credential issued for one sign-off, as signed (a compact JWS). It is
    revoked when its sign-off is (SignOff.revoked_at), which is what verifying checks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signoff = models.OneToOneField(SignOff, on_delete=models.PROTECT, related_name="credential")
    # Whose it is, so that deleting her account finds it (credentials.erasure).
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # credentialSubject.id: names the student within this one credential, without her address.
    subject_id = models.UUIDField(default=uuid.uuid4, editable=False)
    # As issued; emptied when the student deletes her account, as it names her. The copy she
    # holds still verifies: verifying needs the key and this row, not the copy.
    compact_jws = models.TextField(blank=True)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "pk"]

    def __str__(self) -> str:
        return f"Credential for {self.signoff.submission}"

    @property
    def revoked_at(self):
        return self.signoff.revoked_at

    @property
    def revocation_reason(self) -> str:
        return self.signoff.revocation_reason
