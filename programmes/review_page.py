"""What the review page shows of a submission: one version's entries, each with its comment
threads, the comments on the whole, the checklist as submitted and the audit trail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from core.cpd_year import CpdYear, cpd_year_ending_in
from peer_confirmations.shown import ShownAnswer, answers_for_copies
from portfolio.checklist import regulator_checklist
from regulators.requirements import Checklist

from .access import SubmissionAccess
from .models import AuditEvent, Comment, SignOff, Snapshot, SnapshotEntry


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


@dataclass(frozen=True)
class EntryBlock:
    entry: SnapshotEntry
    threads: list[Thread]
    # Colleagues' answers about its peer discussion, judged against this version's text.
    peer_answers: list[ShownAnswer] = field(default_factory=list)

    @property
    def comment_count(self) -> int:
        return sum(1 + len(thread.replies) for thread in self.threads)


@dataclass(frozen=True)
class ReviewPage:
    access: SubmissionAccess
    year: CpdYear
    snapshots: list[Snapshot]
    snapshot: Snapshot
    entries: list[EntryBlock]
    overall: list[Thread]
    checklist: Checklist
    audit_trail: list[AuditEvent]
    signoff: SignOff | None

    @property
    def is_current(self) -> bool:
        return self.snapshot.number == self.snapshots[-1].number


def build_review_page(access: SubmissionAccess, version: int | None) -> ReviewPage:
    """``version``: the number of the version to show; the latest when None or unknown."""
    submission = access.submission
    snapshots = list(submission.snapshots.all())
    by_number = {s.number: s for s in snapshots}
    snapshot = by_number.get(version) or snapshots[-1]
    entries = list(snapshot.entries.all())

    threads: dict[int, Thread] = {}
    for comment in snapshot.comments.order_by("created_at", "pk"):
        if comment.reply_to_id is None:
            threads[comment.pk] = Thread(comment)
        else:
            threads[comment.reply_to_id].replies.append(comment)
    by_entry: dict[int | None, list[Thread]] = defaultdict(list)
    for thread in threads.values():
        by_entry[thread.comment.entry_id].append(thread)

    year = cpd_year_ending_in(submission.year)
    peer_answers = answers_for_copies(entries)
    return ReviewPage(
        access=access,
        year=year,
        snapshots=snapshots,
        snapshot=snapshot,
        entries=[
            EntryBlock(entry, by_entry[entry.pk], peer_answers.get(entry.pk, []))
            for entry in entries
        ],
        overall=by_entry[None],
        # The checklist as it stood on the day this version was submitted.
        checklist=regulator_checklist(entries, year, timezone.localdate(snapshot.submitted_at)),
        audit_trail=list(submission.audit_events.all()),
        signoff=SignOff.objects.filter(submission=submission).first(),
    )
