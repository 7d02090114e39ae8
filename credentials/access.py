"""Who may have which credential: the student whose sign-off it is downloads it; everyone
else is answered 404 (the public verify page and credential page show what it asserts)."""

from __future__ import annotations

from django.http import Http404

from programmes.access import submission_for

from .models import IssuedCredential


def own_credential(user, submission_pk: int) -> IssuedCredential:
    """The credential issued for the student ``user``'s own submission, or 404: to leaders
    too, who see on the submission page that it was issued but never hold her copy."""
    access = submission_for(user, submission_pk)
    if not access.as_student:
        raise Http404("No credential of yours has that number.")
    credential = (
        IssuedCredential.objects.filter(signoff__submission=access.submission)
        .select_related("signoff")
        .first()
    )
    if credential is None:
        raise Http404("This submission has no credential.")
    return credential
