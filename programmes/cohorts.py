"""Setting up programmes: creating one, adding its cohorts and co-leaders."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User

from .access import may_lead
from .errors import ActionRefused
from .models import Cohort, Membership, Programme


@transaction.atomic
def create_programme(
    *,
    name: str,
    description: str,
    created_by,
    institution: str = "",
    institution_url: str = "",
) -> Programme:
    """A new programme, led by whoever created it."""
    programme = Programme.objects.create(
        name=name,
        description=description,
        institution=institution,
        institution_url=institution_url,
    )
    programme.leaders.add(created_by)
    return programme


def add_cohort(programme: Programme, name: str) -> Cohort:
    return Cohort.objects.create(programme=programme, name=name)


def add_co_leader(programme: Programme, email: str) -> User:
    """Make the person with ``email`` a leader of ``programme``: they must already have an
    account with the programme leader role, and must not be studying on the programme."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not may_lead(user):
        raise ActionRefused(
            f"No programme leader has an account with the address {email}. Co-leaders need an "
            "account with the programme leader role: ask an admin to set one up."
        )
    if programme.leaders.filter(pk=user.pk).exists():
        raise ActionRefused(f"{user} already leads {programme}.")
    if Membership.objects.filter(cohort__programme=programme, student=user).exists():
        raise ActionRefused(f"{user} is a student on {programme}, so cannot lead it.")
    programme.leaders.add(user)
    return user
