"""Small builders for test data: real model instances, saved, with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from allauth.account.models import EmailAddress

from accounts.models import Role, User
from portfolio.models import ActivityType, Entry, Platform, Status
from portfolio.tallies import recount

PASSWORD = "correct-horse-battery-staple"
_sequence = itertools.count(1)


def make_user(email: str | None = None, role: str = Role.PRACTITIONER, **fields) -> User:
    email = email or f"user{next(_sequence)}@example.org"
    fields.setdefault("display_name", email.split("@")[0].title())
    user = User.objects.create_user(email, PASSWORD, role=role, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_entry(owner: User, **fields) -> Entry:
    n = next(_sequence)
    values = {
        "title": f"Read a thread on strengths-based practice ({n})",
        "activity_type": ActivityType.TWEET_READ,
        "platform": Platform.X,
        "occurred_on": dt.date(2026, 3, 10),
        "duration_minutes": 30,
        "status": Status.COMPLETE,
        "what_happened": f"Followed a thread about strengths-based assessments ({n}).",
        "what_learned": "How other teams frame strengths in the first conversation.",
        "impact": "I will open assessments by asking what is working well.",
    }
    values.update(fields)
    capabilities = values.pop("capabilities", [])
    entry = Entry.objects.create(owner=owner, **values)
    if capabilities:
        entry.capabilities.set(capabilities)
    recount(owner.pk, [entry.occurred_on])  # as every way into the log does
    return entry
