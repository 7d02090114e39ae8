"""Copies of complete entries as they are at one moment: what a leader reviews, frozen when the
student submits, and (unsaved) what a leader reads of a shared portfolio."""

from __future__ import annotations

from django.db.models import Prefetch

from portfolio.models import Capability, Entry, EntryQuerySet

from .models import Snapshot, SnapshotEntry


def with_copied_relations(entries: EntryQuerySet) -> EntryQuerySet:
    """What copy_entry reads, fetched in a fixed number of queries; oldest first."""
    return entries.order_by("occurred_on", "created_at", "pk").prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.select_related("framework")),
        "evidence",
    )


def copy_entry(entry: Entry, position: int = 0) -> SnapshotEntry:
    """An unsaved copy of ``entry``: its text, its capabilities by code and name, and the
    names and sizes of its evidence files (never the files)."""
    return SnapshotEntry(
        position=position,
        live_entry=entry,
        **entry.entry_values(),
        capabilities=[
            {"framework": c.framework.short_name, "code": c.code, "name": c.name}
            for c in entry.capabilities.all()
        ],
        evidence=[{"name": e.original_name, "size": e.size} for e in entry.evidence.all()],
    )


def take_snapshot(submission, *, number: int, entries: EntryQuerySet, note: str) -> Snapshot:
    snapshot = Snapshot.objects.create(submission=submission, number=number, note=note)
    entries = [
        copy_entry(entry, position)
        for position, entry in enumerate(with_copied_relations(entries), start=1)
    ]
    for entry in entries:
        entry.snapshot = snapshot
    SnapshotEntry.objects.bulk_create(entries)
    return snapshot
