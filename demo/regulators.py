"""A demo practitioner registered with the Northern Ireland Social Care Council, so that
`make run` shows a dashboard following a regulator other than Social Work England: hours
against 90 over her registration period, Professional in Practice credits, and a learning plan
still to confirm. Her data is in demo/data/regulator_demo.json; dates are relative to ``today``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from core.periods import add_months
from portfolio.demo import DEMO_PASSWORD, DemoLogin
from portfolio.entries import save_entry
from portfolio.models import Capability, Entry, Status
from regulators.registrations import set_registration

DEMO_DATA = Path(__file__).parent / "data" / "regulator_demo.json"


def load_regulator_demo(today: dt.date) -> DemoLogin:
    """Create the demo practitioner with her registration and entries. Safe to run again: an
    existing user is left as she is."""
    data = json.loads(DEMO_DATA.read_text(encoding="utf-8"))
    fields = dict(data["user"])
    email = fields.pop("email")
    regulator = fields.pop("regulator")
    registered_on = add_months(today, -fields.pop("registered_months_ago"))
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            set_registration(user, regulator, registered_on, today)
            _load_entries(user, data["entries"], registered_on, today)
    return DemoLogin(role=str(user.role), email=email, password=DEMO_PASSWORD)


def _load_entries(owner: User, entries: list[dict], registered_on: dt.date, today: dt.date) -> None:
    capabilities = {c.code: c for c in Capability.objects.filter(framework__slug="pcf")}
    for item in entries:
        occurred_on = max(today - dt.timedelta(days=item["days_ago"]), registered_on)
        entry = Entry(
            status=Status.DRAFT if item.get("draft") else Status.COMPLETE,
            activity_type=item["activity_type"],
            platform=item["platform"],
            title=item["title"],
            url=item.get("url", ""),
            occurred_on=occurred_on,
            duration_minutes=item["minutes"],
            what_happened=item["what_happened"],
            what_learned=item.get("what_learned", ""),
            impact=item.get("impact", ""),
            is_peer_reflected=bool(item.get("peer_role")),
            peer_role=item.get("peer_role", ""),
            peer_learning=item.get("peer_learning", ""),
        )
        save_entry(
            entry,
            owner=owner,
            capabilities=[capabilities[c] for c in item.get("capabilities", ())],
            tag_names=[],
        )
