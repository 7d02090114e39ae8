"""The demo practitioner's latest complete peer discussion, confirmed by a colleague, so the
demo shows a confirmation on the entry, the dashboard and the pack."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.fragments import renew_owner_version
from portfolio.demo import DEMO_USERS
from portfolio.models import Entry

from .models import PeerConfirmation
from .requests import token_hash

DEMO_COLLEAGUE = {
    "email": "jordan.reyes@example.net",
    "name": "Jordan Reyes",
    "role": "Team manager",
    "registration_number": "SW100200",
}


def load_peer_confirmation_demo(today: dt.date) -> None:
    """Safe to run again: a practitioner who has any confirmation already is left alone."""
    with transaction.atomic():
        emails = [user["email"] for user in DEMO_USERS if user["role"] == Role.PRACTITIONER]
        for owner in User.objects.filter(email__in=emails):
            if PeerConfirmation.objects.for_user(owner).exists():
                continue
            entry = (
                Entry.objects.for_user(owner)
                .complete()
                .filter(is_peer_reflected=True, occurred_on__lte=today)
                .order_by("-occurred_on", "-pk")
                .first()
            )
            if entry is None:
                continue
            now = timezone.now()
            PeerConfirmation.objects.create(
                entry=entry,
                token_hash=token_hash(secrets.token_urlsafe(32)),  # a link nobody holds
                requested_at=now - dt.timedelta(days=2),
                expires_at=now + dt.timedelta(days=12),
                answered_at=now - dt.timedelta(days=1),
                confirmed_text=entry.peer_learning,
                **DEMO_COLLEAGUE,
            )
            renew_owner_version(owner.pk)
