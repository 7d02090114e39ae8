"""Each practitioner's complete entries of each CPD year, counted into one YearTally row in the
same transaction as the change that alters them: the cohort overview reads three hundred
students' figures from three hundred rows instead of forty thousand entries.

Every way an entry is written calls ``recount``: portfolio.entries (the web form, quick
capture, the API and the demo), an import's confirmation, and the bench's bulk load through
``recount_everyone``. A tally is counted afresh from the owner's entries of that one year, never
adjusted by a difference, so it cannot drift; tests/portfolio/test_tallies.py compares every
tally with a count from scratch after each kind of change.

The checklist it keeps is judged on every complete entry of the year. The only thing that
moves with the calendar is an entry dated after today, which the entry rules refuse to a
complete entry; a tally whose last entry is after today is therefore judged from the entries
instead (``judged_from_entries``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Count

from core.cpd_year import CpdYear, cpd_year_containing
from core.fragments import SITE, renew, renew_owner_version
from regulators.requirements import Checklist, PeriodCounts

from .checklist import checklist_counts, checklist_from_counts, regulator_checklist
from .models import Entry, EntryQuerySet, YearTally

# The fields the figures read; leaving the rest out keeps a heavy user's recount cheap.
COUNTED_FIELDS = [
    "owner_id",
    "title",
    "activity_type",
    "occurred_on",
    "duration_minutes",
    "what_happened",
    "what_learned",
    "impact",
    "is_peer_reflected",
    "peer_learning",
]
TALLIED_FIELDS = [
    "entries",
    "minutes",
    "last_entry",
    "different_entries",
    "peer_reflected",
    "duplicates",
    "capability_entries",
]


def tally_of(
    owner_id: int, year: CpdYear, entries: list[Entry], capability_links: Mapping[int, int]
) -> YearTally:
    """The tally of ``entries`` (one owner's complete entries dated in ``year``) and
    ``capability_links`` ({capability id: entries mapped to it}), unsaved."""
    counts = checklist_counts(entries, year, today=year.end)
    return YearTally(
        owner_id=owner_id,
        year=year.end.year,
        entries=len(entries),
        minutes=sum(entry.duration_minutes or 0 for entry in entries),
        last_entry=max(entry.occurred_on for entry in entries),
        different_entries=counts.different,
        peer_reflected=counts.peer_reflected,
        duplicates=[list(group) for group in counts.duplicates],
        capability_entries={str(pk): n for pk, n in sorted(capability_links.items()) if n},
    )


def _capability_links(entries) -> dict[int, int]:
    links = Entry.capabilities.through.objects.filter(entry__in=entries.order_by().values("pk"))
    return dict(links.values("capability").annotate(n=Count("pk")).values_list("capability", "n"))


def count_year(owner_id: int, year: CpdYear) -> YearTally | None:
    """The tally of ``owner_id``'s complete entries of ``year`` from scratch; None if none."""
    entries = Entry.objects.filter(owner_id=owner_id).complete().in_year(year)
    listed = list(entries.only(*COUNTED_FIELDS).order_by())
    if not listed:
        return None
    return tally_of(owner_id, year, listed, _capability_links(entries))


@transaction.atomic
def recount(owner_id: int, days: Iterable[dt.date]) -> None:
    """Count again ``owner_id``'s tallies of the CPD years ``days`` fall in: the dates an entry
    had and has, or of every entry an import brought in."""
    # A new portfolio version, so none of her pages cached before this change is read after
    # it (core/fragments.py). The update also locks her row, so two of her changes at once
    # take turns and the second counts what the first committed; it takes a NO KEY UPDATE
    # lock, which waits for no entry being written (each holds only a KEY SHARE lock on it).
    renew_owner_version(owner_id)
    for year in {cpd_year_containing(day) for day in days}:
        tally = count_year(owner_id, year)
        if tally is None:
            YearTally.objects.filter(owner_id=owner_id, year=year.end.year).delete()
        else:
            YearTally.objects.update_or_create(
                owner_id=owner_id,
                year=tally.year,
                defaults={field: getattr(tally, field) for field in TALLIED_FIELDS},
            )


def recount_everyone(batch_size: int = 200) -> int:
    """Every tally counted again from the entries, owner by owner (for a bulk load, or after
    the CPD year's start is moved in settings). Returns how many tallies there are now."""
    YearTally.objects.all().delete()
    complete = Entry.objects.complete()
    owners = list(complete.order_by("owner_id").values_list("owner_id", flat=True).distinct())
    written = 0
    for first in range(0, len(owners), batch_size):
        batch = complete.filter(owner_id__in=owners[first : first + batch_size])
        by_year: dict[tuple[int, CpdYear], list[Entry]] = defaultdict(list)
        for entry in batch.only(*COUNTED_FIELDS).order_by().iterator(chunk_size=5000):
            by_year[(entry.owner_id, cpd_year_containing(entry.occurred_on))].append(entry)
        year_of = {e.pk: key for key, entries in by_year.items() for e in entries}
        links: dict[tuple[int, CpdYear], Counter[int]] = defaultdict(Counter)
        through = Entry.capabilities.through.objects.filter(entry__in=batch.values("pk"))
        for entry_id, capability_id in through.values_list("entry_id", "capability_id"):
            links[year_of[entry_id]][capability_id] += 1
        tallies = [
            tally_of(owner, year, entries, links[(owner, year)])
            for (owner, year), entries in by_year.items()
        ]
        YearTally.objects.bulk_create(tallies, batch_size=1000)
        written += len(tallies)
    renew(SITE)  # the years may have moved: no page cached before shows them
    return written


def tallies_of(owner_ids: Iterable[int], year: CpdYear) -> dict[int, YearTally]:
    """The tallies of ``year`` for these owners, by owner id (none for an owner with no
    complete entry in it). One query, from the (owner, year) index."""
    rows = YearTally.objects.filter(owner_id__in=list(owner_ids), year=year.end.year)
    return {tally.owner_id: tally for tally in rows}


def judged_from_entries(
    tallies: Mapping[int, YearTally], complete_entries: EntryQuerySet, year: CpdYear, today: dt.date
) -> dict[int, Checklist]:
    """The checklists a tally cannot give: of each owner among ``tallies`` whose tally holds an
    entry dated after today, judged from her ``complete_entries`` of ``year`` as her dashboard
    judges her. No query when there is none, which the entry rules make the usual case."""
    later = [owner for owner, tally in tallies.items() if tally.last_entry > today]
    if not later:
        return {}
    entries: dict[int, list[Entry]] = defaultdict(list)
    for entry in complete_entries.filter(owner__in=later).only(*COUNTED_FIELDS).order_by():
        entries[entry.owner_id].append(entry)
    return {owner: regulator_checklist(entries[owner], year, today) for owner in later}


def tally_checklist(tally: YearTally | None, year: CpdYear) -> Checklist:
    """The regulator's checklist from a tally (None: no complete entry in the year), for an
    owner ``judged_from_entries`` leaves out."""
    if tally is None:
        return checklist_from_counts(PeriodCounts(0, 0, 0, []), year)
    counts = PeriodCounts(
        different=tally.different_entries,
        peer_reflected=tally.peer_reflected,
        misdated=0,
        duplicates=[(title, copies) for title, copies in tally.duplicates],
    )
    return checklist_from_counts(counts, year)


def capability_counts(tally: YearTally | None) -> dict[int, int]:
    return {int(pk): n for pk, n in tally.capability_entries.items()} if tally else {}
