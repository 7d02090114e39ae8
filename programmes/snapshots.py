"""Copies of complete entries as they are at one moment: what a leader reviews, frozen when the
student submits, and (unsaved) what a leader reads of a shared portfolio."""

from __future__ import annotations

from django.db.models import Prefetch

from portfolio.models import Activity, ActivityQuerySet, Capability

from .models import Snapshot, SnapshotEntry


def with_copied_relations(activities: ActivityQuerySet) -> ActivityQuerySet:
    """What copy_entry reads, fetched in a fixed number of queries; oldest first."""
    return activities.order_by("occurred_on", "created_at", "pk").prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.select_related("framework")),
        "evidence",
    )


def copy_entry(activity: Activity, position: int = 0) -> SnapshotEntry:
    """An unsaved copy of ``activity``: its text, its capabilities by code and name, and the
    names and sizes of its evidence files (never the files)."""
    return SnapshotEntry(
        position=position,
        activity=activity,
        **activity.entry_values(),
        capabilities=[
            {"framework": c.framework.short_name, "code": c.code, "name": c.name}
            for c in activity.capabilities.all()
        ],
        evidence=[{"name": e.original_name, "size": e.size} for e in activity.evidence.all()],
    )


def take_snapshot(submission, *, number: int, activities: ActivityQuerySet, note: str) -> Snapshot:
    snapshot = Snapshot.objects.create(submission=submission, number=number, note=note)
    entries = [
        copy_entry(activity, position)
        for position, activity in enumerate(with_copied_relations(activities), start=1)
    ]
    for entry in entries:
        entry.snapshot = snapshot
    SnapshotEntry.objects.bulk_create(entries)
    return snapshot
