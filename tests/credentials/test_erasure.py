"""Deleting her account removes the portal's copy of the student's credential, which names
her; the copy she kept still verifies."""

from __future__ import annotations

from django.urls import reverse

from accounts.erasure import erase_account
from credentials.models import IssuedCredential
from credentials.verification import verify


def test_her_copy_still_verifies_after_the_portals_is_gone(world, signed, client):
    kept = signed.credential.compact_jws

    erase_account(world.student)

    issued = IssuedCredential.objects.get(pk=signed.credential.pk)
    assert issued.compact_jws == "" and issued.student is None
    verdict = verify(kept)
    assert verdict.valid
    assert verdict.assertion.programme == "Advanced practice MSc"
    page = client.get(reverse("credentials:credential", args=[issued.pk])).content.decode()
    assert "deleted their account" in page
    assert world.student.display_name not in page
