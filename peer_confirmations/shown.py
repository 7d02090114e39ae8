"""Where colleagues' answers are shown: the entry's page, the dashboard's count, a submission's
review page and the evidence pack. Every function reads a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from core.cpd_year import CpdYear
from portfolio.models import Entry, EntryQuerySet

from .models import PeerConfirmation


@dataclass(frozen=True)
class ShownAnswer:
    """An answer as shown beside a version of the discussion: the entry's as it is now, or a
    submitted copy's."""

    confirmation: PeerConfirmation
    of_earlier_text: bool


def _shown_beside(confirmations: Iterable[PeerConfirmation], text: str) -> list[ShownAnswer]:
    return [ShownAnswer(c, c.is_of_earlier_text(text)) for c in confirmations]


@dataclass(frozen=True)
class EntryConfirmations:
    """What the owner sees on her entry's page: the answers, and the requests she sent."""

    entry: Entry
    answers: list[ShownAnswer]
    requests: list[PeerConfirmation]  # unanswered, newest first: open, expired or withdrawn

    @property
    def can_ask(self) -> bool:
        return self.entry.is_peer_reflected and bool(self.entry.peer_learning.strip())


def entry_confirmations(entry: Entry) -> EntryConfirmations:
    rows = list(PeerConfirmation.objects.filter(entry=entry).order_by("-requested_at", "-pk"))
    answered = [c for c in rows if c.answered_at is not None and c.removed_at is None]
    answered.sort(key=lambda c: c.answered_at)
    return EntryConfirmations(
        entry=entry,
        answers=_shown_beside(answered, entry.peer_learning),
        requests=[c for c in rows if c.answered_at is None],
    )


def confirmed_discussions(user, year: CpdYear) -> int:
    """How many of ``user``'s complete entries of ``year`` have a colleague's confirmation of
    their peer discussion as it reads now (not a correction, not an earlier version)."""
    return (
        Entry.objects.for_user(user)
        .complete()
        .in_year(year)
        .filter(
            peer_confirmations__in=PeerConfirmation.objects.shown()
            .of_current_text()
            .filter(correction="")
        )
        .distinct()
        .count()
    )


def answers_for_copies(copies: Iterable) -> dict[int, list[ShownAnswer]]:
    """The shown answers about each submitted copy of an entry (programmes' SnapshotEntry:
    ``live_entry_id`` and ``peer_learning``), by the copy's id, judged against the copy's text,
    which is what its reader reads."""
    copies = list(copies)
    live_ids = {copy.live_entry_id for copy in copies if copy.live_entry_id}
    by_entry: dict[int, list[PeerConfirmation]] = defaultdict(list)
    answers = PeerConfirmation.objects.shown().filter(entry_id__in=live_ids)
    for confirmation in answers.order_by("answered_at", "pk"):
        by_entry[confirmation.entry_id].append(confirmation)
    return {
        copy.pk: _shown_beside(by_entry[copy.live_entry_id], copy.peer_learning)
        for copy in copies
        if by_entry.get(copy.live_entry_id)
    }


def pack_confirmations(entries: EntryQuerySet) -> list[dict[str, Any]]:
    """The answers about ``entries`` as an evidence pack lists them
    (packs.building.register_peer_confirmation_source)."""
    answers = (
        PeerConfirmation.objects.shown()
        .filter(entry__in=entries)
        .select_related("entry")
        .order_by("entry__occurred_on", "entry_id", "answered_at", "pk")
    )
    return [
        {
            "entry_id": c.entry_id,
            "entry_title": c.entry.title,
            "entry_date": c.entry.occurred_on.isoformat(),
            "entry_date_label": f"{c.entry.occurred_on:%-d %b %Y}",
            "date": c.answered_at.isoformat(),
            "date_label": f"{timezone.localdate(c.answered_at):%-d %b %Y}",
            "by": c.name,
            "role": c.role,
            "registration_number": c.registration_number,
            "answer": "correction" if c.correction else "confirmed",
            "correction": c.correction,
            "of_earlier_text": c.is_of_earlier_text(c.entry.peer_learning),
        }
        for c in answers.iterator()
    ]
