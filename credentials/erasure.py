"""Deleting a student's account: the portal's copies of her credentials name her, so they go.
The rows stay, so a copy she kept still verifies (and shows as revoked if its sign-off is)."""

from __future__ import annotations

from accounts.erasure import Erasure

from .models import IssuedCredential


def forget_copies_of(erasure: Erasure) -> None:
    IssuedCredential.objects.filter(student=erasure.user).update(compact_jws="")
