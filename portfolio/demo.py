"""Demo data: three users who can sign in at once, and a practitioner's believable CPD log.

The entries are drawn from the project's seed texts (social workers learning through Twitter
chats, blogs, forums and communities of practice in 2011-12). They are data, not code, listed
in the order they happened; the dates are given when the demo is loaded, relative to ``today``,
so the demo looks alive on any day of the year:

- the current CPD year holds the last complete entries of the list, then the drafts. Their
  number grows evenly through the year, from ``FIRST_DAY_ENTRIES`` complete entries on its
  first day to all but ``PREVIOUS_YEAR_ENTRIES`` on its last;
- they are spread evenly from the year's first day to ``today``, so on the first day they are
  all dated today, and none is ever in the future;
- the previous CPD year holds the other complete entries, spread evenly across the whole of
  it, and meets the regulator's rules (programmes.demo has it signed off).

No entry names or describes anyone who uses services.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Role, User
from core.cpd_year import CpdYear, cpd_year_containing

from .entries import save_entry
from .models import Capability, Entry, Status

DEMO_PASSWORD = "demo-cpd-2026"  # noqa: S105 - documented in the README and printed by load_demo


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


@dataclass(frozen=True)
class DemoEntry:
    activity_type: str
    platform: str
    title: str
    minutes: int | None = None
    url: str = ""
    hashtag: str = ""
    what_happened: str = ""
    what_learned: str = ""
    impact: str = ""
    peer_role: str = ""
    peer_learning: str = ""
    capabilities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False


DEMO_DATA = Path(__file__).parent / "data" / "demo.json"


def _read_demo_data() -> tuple[list[dict[str, str | bool]], list[DemoEntry]]:
    data = json.loads(DEMO_DATA.read_text(encoding="utf-8"))
    entries = [
        DemoEntry(
            **{
                **entry,
                "capabilities": tuple(entry.get("capabilities", ())),
                "tags": tuple(entry.get("tags", ())),
            }
        )
        for entry in data["entries"]
    ]
    return data["users"], entries


# Data, not code: the users and entries, in the order the entries happened, in data/demo.json.
DEMO_USERS, DEMO_ENTRIES = _read_demo_data()


# Both years need a peer-reflected entry to count: the list has one among its first
# PREVIOUS_YEAR_ENTRIES and one among its last FIRST_DAY_ENTRIES complete entries.
FIRST_DAY_ENTRIES = 4
PREVIOUS_YEAR_ENTRIES = 8


def _current_year_share(complete: int, year: CpdYear, today: dt.date) -> int:
    """How many of the ``complete`` entries fall in ``year``, growing evenly with the part of
    it gone by ``today``."""
    growth = complete - PREVIOUS_YEAR_ENTRIES - FIRST_DAY_ENTRIES
    return FIRST_DAY_ENTRIES + growth * (today - year.start).days // (year.end - year.start).days


def _spread(count: int, first: dt.date, last: dt.date) -> list[dt.date]:
    """``count`` dates in order, evenly from ``first`` to ``last`` inclusive, the first on
    ``first``."""
    days = (last - first).days + 1
    return [first + dt.timedelta(days=days * index // count) for index in range(count)]


def _dated_entries(today: dt.date) -> list[tuple[DemoEntry, dt.date]]:
    """Every demo entry with its date, by the rule in the module's docstring."""
    complete = [entry for entry in DEMO_ENTRIES if not entry.draft]
    drafts = [entry for entry in DEMO_ENTRIES if entry.draft]
    year = cpd_year_containing(today)
    previous = year.previous()
    split = len(complete) - _current_year_share(len(complete), year, today)
    earlier, current = complete[:split], complete[split:] + drafts
    return [
        *zip(earlier, _spread(len(earlier), previous.start, previous.end), strict=True),
        *zip(current, _spread(len(current), year.start, today), strict=True),
    ]


def _load_entries(owner: User, today: dt.date) -> None:
    codes = {code for entry in DEMO_ENTRIES for code in entry.capabilities}
    capabilities = {c.code: c for c in Capability.objects.filter(code__in=codes)}
    for demo, occurred_on in _dated_entries(today):
        entry = Entry(
            status=Status.DRAFT if demo.draft else Status.COMPLETE,
            activity_type=demo.activity_type,
            platform=demo.platform,
            title=demo.title,
            url=demo.url,
            occurred_on=occurred_on,
            duration_minutes=demo.minutes,
            hashtag=demo.hashtag,
            what_happened=demo.what_happened,
            what_learned=demo.what_learned,
            impact=demo.impact,
            is_peer_reflected=bool(demo.peer_role),
            peer_role=demo.peer_role,
            peer_learning=demo.peer_learning,
        )
        save_entry(
            entry,
            owner=owner,
            capabilities=[capabilities[c] for c in demo.capabilities if c in capabilities],
            tag_names=list(demo.tags),
        )


def load_demo_data(today: dt.date) -> list[DemoLogin]:
    """Create the demo users and the practitioner's log. Safe to run again: existing users,
    and the practitioner's entries if she already exists, are left as they are."""
    logins = []
    with transaction.atomic():
        for user_data in DEMO_USERS:
            fields = dict(user_data)
            email = str(fields.pop("email"))
            user = User.objects.filter(email=email).first()
            created = user is None
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if created and user.role == Role.PRACTITIONER:
                _load_entries(user, today)
            logins.append(DemoLogin(role=str(user.role), email=email, password=DEMO_PASSWORD))
    return logins
