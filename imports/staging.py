"""Imports, staged for review: a file (or a feed's address) becomes proposed entries that the
owner ticks, edits and then confirms.

Nothing reaches her log before the confirmation, which creates everything or nothing. Every
entry remembers the source item it came from (``source_key``), so importing the same file again
proposes nothing new. Staging runs in the background (stage_import, queued on commit) and
reports its progress as the batch's heartbeat; it stores proposals a thousand at a time, with a
fixed number of queries per thousand, so an archive of 50,000 tweets stages in seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.erasure import Erasure
from core.background import Claim, retry, run_claimed
from core.durations import MAX_MINUTES
from core.models import WorkState
from core.time_zones import viewer_time_zone
from portfolio.entries import parse_tag_names, tags_for
from portfolio.entry_rules import LogTitles, titles_in_log, validate_entry
from portfolio.evidence import EvidenceKind, check_evidence_file
from portfolio.link_kinds import web_address
from portfolio.models import (
    ActivityType,
    Capability,
    Entry,
    EntryFields,
    Evidence,
    Platform,
    Status,
)
from portfolio.tallies import recount

from .importers.archives import is_zip
from .importers.base import (
    Attachment,
    ImportOptions,
    ImportRejected,
    ProposedEntry,
    parser_for,
    upload_limit,
)
from .importers.text import shorten
from .models import ImportBatch, ImportSource, StagedAttachment, StagedEntry

CHUNK = 1000  # proposals stored, or entries created, per round of queries

# What each source reads, checked by name before anything is stored; the parser then checks
# the content.
ACCEPTED_SUFFIXES: dict[str, tuple[str, ...]] = {
    ImportSource.X: (".zip", ".js"),
    ImportSource.MASTODON: (".zip", ".json"),
    ImportSource.FEED: (".xml", ".rss", ".atom"),
    ImportSource.CSV: (".csv",),
    ImportSource.LEAP2A: (".zip", ".xml"),
}
WHAT_TO_UPLOAD: dict[str, str] = {
    ImportSource.X: "the .zip X sent you, or data/tweets.js from inside it",
    ImportSource.MASTODON: "the .zip Mastodon sent you, or outbox.json from inside it",
    ImportSource.FEED: "the blog's feed address, or the feed saved as an .xml, .rss or .atom file",
    ImportSource.CSV: "a spreadsheet saved as .csv, with the columns of our template",
    ImportSource.LEAP2A: "the Leap2A .zip exported from Mahara or PebblePad, or its leap2a.xml",
}
_TYPES = frozenset(ActivityType.values)
_PLATFORMS = frozenset(Platform.values)
_MAX_LENGTH = {
    name: StagedEntry._meta.get_field(name).max_length
    for name in ("source_key", "title", "hashtag", "peer_role")
}


# --- Starting an import ----------------------------------------------------------------------


def check_upload(source: str, upload: UploadedFile) -> None:
    """Raise ImportRejected, saying what to upload instead, for a file that is too large or
    that ``source`` cannot read by its name (or, for a ZIP, its first bytes)."""
    name = upload.name or "The file"
    limit = upload_limit()
    if upload.size > limit:
        raise ImportRejected(
            f"{name} is {filesizeformat(upload.size)}; the largest file we can import is "
            f"{filesizeformat(limit)}. Upload {WHAT_TO_UPLOAD[source]}."
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES[source]:
        raise ImportRejected(
            f"{name} is not a file this import reads. Upload {WHAT_TO_UPLOAD[source]}."
        )
    if suffix == ".zip" and not is_zip(upload):
        raise ImportRejected(
            f"{name} is named .zip but is not a ZIP archive. Upload {WHAT_TO_UPLOAD[source]}."
        )


def _enqueue_staging(batch_id: int) -> None:
    from .tasks import stage_import  # the task module imports this one

    stage_import.delay(batch_id)


def start_import(
    owner,
    *,
    source: str,
    upload: UploadedFile | None = None,
    feed_url: str = "",
    own_feed: bool = True,
) -> ImportBatch:
    """Keep ``upload`` (or a feed's address) privately and queue its staging. Raises
    ImportRejected, having stored nothing, when there is nothing to import or the file is
    not one ``source`` reads."""
    if upload is None and not (source == ImportSource.FEED and feed_url):
        raise ImportRejected(f"Choose a file to import: {WHAT_TO_UPLOAD[source]}.")
    batch = ImportBatch(owner=owner, source=source, own_feed=own_feed)
    if upload is None:
        batch.feed_url = feed_url
    else:
        check_upload(source, upload)
        batch.original_name = upload.name[:255]
    try:
        with transaction.atomic():
            if upload is not None:
                batch.file.save(upload.name, upload, save=False)
            batch.save()
            transaction.on_commit(partial(_enqueue_staging, batch.pk))
    except Exception:
        if batch.file:
            batch.file.delete(save=False)
        raise
    return batch


# --- Staging ---------------------------------------------------------------------------------


def import_options(batch: ImportBatch) -> ImportOptions:
    return ImportOptions(time_zone=ZoneInfo(viewer_time_zone(batch.owner)), own_feed=batch.own_feed)


def read_proposals(batch: ImportBatch) -> list[ProposedEntry]:
    """What the batch's file or feed proposes, as its source's parser reads it."""
    parse = parser_for(batch.source)
    if batch.feed_url:
        # Imported here so that a problem in one importer never stops the others loading.
        from .importers.feeds import fetch_feed

        return parse(io.BytesIO(fetch_feed(batch.feed_url)), import_options(batch))
    with batch.file.open("rb") as source:
        return parse(source, import_options(batch))


def retry_import(batch: ImportBatch) -> bool:
    """Stage a failed import again (its file is kept until staged), from a fresh count of
    attempts; False if it had not failed."""
    return retry(batch, _enqueue_staging)


def stage_import(batch_id: int, *, last_try: bool) -> bool:
    """Parse a queued batch and store what it proposes for review; False when there was
    nothing to do. A file the parser rejects finishes the work with the parser's message:
    trying again would only reject it again."""
    upload_name = ImportBatch.objects.filter(pk=batch_id).values_list("file", flat=True).first()

    def work(claim: Claim) -> dict[str, Any]:
        batch = ImportBatch.objects.select_related("owner").get(pk=batch_id)
        claim.heartbeat(progress=5, step="Reading the file")
        try:
            proposals = read_proposals(batch)
        except ImportRejected as rejected:
            return {"rejection": str(rejected)[:500], "step": "Could not be imported", "file": ""}
        count = store_proposals(batch, proposals, report=claim.heartbeat)
        return {"proposed_count": count, "progress": 100, "step": "Ready to review", "file": ""}

    finished = run_claimed(ImportBatch, batch_id, work, last_try=last_try)
    if finished and upload_name:
        # Staged (or rejected): the upload has given everything it will.
        ImportBatch.file.field.storage.delete(upload_name)
    return finished


def store_proposals(
    batch: ImportBatch,
    proposals: Sequence[ProposedEntry],
    *,
    report: Callable[..., None] = lambda **progress: None,
) -> int:
    """Store ``proposals`` as the batch's staged entries, in order, replacing any an earlier
    attempt left. One already in the owner's log, or repeated within the file, is stored
    unticked and marked, so the review shows it but confirming creates nothing for it. One
    that looks like an entry she typed herself (same title, same day), or whose text may
    identify someone, is stored unticked with a note: she ticks it once she has checked."""
    _clear_staged(batch)
    log = Entry.objects.for_user(batch.owner)
    in_log = set(log.exclude(source_key="").values_list("source_key", flat=True))
    titled_in_log = titles_in_log(batch.owner)
    capabilities = capability_lookup()
    seen: set[str] = set()
    total = len(proposals)
    for start in range(0, total, CHUNK):
        staged = [
            _staged_entry(batch, position, proposal, capabilities)
            for position, proposal in enumerate(proposals[start : start + CHUNK], start)
        ]
        for entry, _ in staged:
            entry.already_in_log = bool(entry.source_key) and entry.source_key in in_log
            entry.repeated = not entry.already_in_log and entry.source_key in seen
            reasons = _reasons_to_check(entry, titled_in_log) if entry.importable else []
            entry.notes += reasons
            entry.include = entry.importable and not reasons
            if entry.source_key:
                seen.add(entry.source_key)
        created = StagedEntry.objects.bulk_create([entry for entry, _ in staged])
        _store_attachments(
            batch, [(entry, files) for entry, (_, files) in zip(created, staged, strict=True)]
        )
        done = start + len(staged)
        report(progress=10 + 89 * done // total, step=f"Stored {done:,} of {total:,} entries")
    return total


def _reasons_to_check(entry: StagedEntry, titled_in_log: LogTitles) -> list[str]:
    """Why ``entry`` should wait, unticked, until its owner has looked at it: the entry form
    would have asked her the same before saving it."""
    reasons = []
    verdict = validate_entry(
        entry.entry_values(),
        entry.batch.owner,
        timezone.localdate(),
        complete=False,
        log_titles=titled_in_log,
    )
    if verdict.already_in_log:
        reasons.append(
            "Your log already has an entry with this title on this day: tick this one only "
            "if it is a different piece of CPD."
        )
    # Names and addresses are warnings on the form, not a reason to hold an entry back; an
    # archive of posts quotes bloggers and authors by name.
    if findings := verdict.findings_to_confirm:
        # The title is often repeated in the notes: name each detail once.
        details = "; ".join(list(dict.fromkeys(f"{f.label} “{f.excerpt}”" for f in findings))[:3])
        reasons.append(
            f"This may identify someone who uses services ({details}). Edit it out, or tick "
            "the entry if it does not identify anyone."
        )
    return reasons


def capability_lookup() -> dict[str, int]:
    """Capability ids by "framework-slug:code" and by bare code (the first framework's
    capability when two frameworks share a code), all lower case."""
    lookup: dict[str, int] = {}
    for pk, code, slug in Capability.objects.values_list("pk", "code", "framework__slug"):
        lookup.setdefault(f"{slug}:{code}".lower(), pk)
        lookup.setdefault(code.lower(), pk)
    return lookup


CheckedFile = tuple[Attachment, EvidenceKind]


def _staged_entry(
    batch: ImportBatch, position: int, proposal: ProposedEntry, capabilities: dict[str, int]
) -> tuple[StagedEntry, list[CheckedFile]]:
    """``proposal`` as a row that fits the columns, noting whatever had to be left out."""
    notes: list[str] = []
    url = web_address(proposal.url)
    if proposal.url.strip() and not url:
        notes.append(f"The link “{shorten(proposal.url, 80)}” is not a web address we can keep.")
    duration = proposal.duration_minutes
    if duration is not None and not 0 < duration <= MAX_MINUTES:
        notes.append(f"The time spent ({duration} minutes) was left out: check it.")
        duration = None
    unknown = [code for code in proposal.capability_codes if code.lower() not in capabilities]
    if unknown:
        notes.append(f"Capabilities we do not know were left out: {', '.join(unknown)}.")
    files: list[CheckedFile] = []
    for attachment in proposal.attachments:
        try:
            files.append((attachment, check_evidence_file(_as_upload(attachment))))
        except ValidationError as error:
            notes.append(f"Not attached: {' '.join(error.messages)}")
    entry = StagedEntry(
        batch=batch,
        position=position,
        source_key=proposal.source_key[: _MAX_LENGTH["source_key"]],
        activity_type=(
            proposal.activity_type if proposal.activity_type in _TYPES else ActivityType.OTHER
        ),
        platform=proposal.platform if proposal.platform in _PLATFORMS else "",
        title=shorten(proposal.title.strip(), _MAX_LENGTH["title"]) or "Untitled",
        url=url,
        occurred_on=proposal.occurred_on,
        duration_minutes=duration,
        hashtag=proposal.hashtag.strip().lstrip("#")[: _MAX_LENGTH["hashtag"]],
        what_happened=proposal.what_happened,
        what_learned=proposal.what_learned,
        impact=proposal.impact,
        is_peer_reflected=proposal.is_peer_reflected,
        peer_role=proposal.peer_role[: _MAX_LENGTH["peer_role"]],
        peer_learning=proposal.peer_learning,
        capability_codes=[c for c in proposal.capability_codes if c not in unknown],
        tag_names=parse_tag_names(",".join(proposal.tag_names)),
        notes=notes,
    )
    return entry, files


def _as_upload(attachment: Attachment) -> SimpleUploadedFile:
    return SimpleUploadedFile(attachment.name, attachment.content)


def _store_attachments(
    batch: ImportBatch, entries: list[tuple[StagedEntry, list[CheckedFile]]]
) -> None:
    storage = StagedAttachment.file.field.storage
    rows: list[StagedAttachment] = []
    try:
        for entry, files in entries:
            for attachment, kind in files:
                suffix = PurePath(attachment.name).suffix.lower()
                # A random name, like evidence: the archive's name is kept in a column only.
                name = storage.save(
                    f"imports/{batch.owner_id}/files/{uuid.uuid4().hex}{suffix}",
                    _as_upload(attachment),
                )
                rows.append(
                    StagedAttachment(
                        entry=entry,
                        file=name,
                        original_name=attachment.name[:255],
                        content_type=kind.content_type,
                        size=len(attachment.content),
                    )
                )
        StagedAttachment.objects.bulk_create(rows)
    except Exception:
        for row in rows:
            storage.delete(row.file.name)
        raise


def _clear_staged(batch: ImportBatch) -> None:
    """Remove what an earlier, interrupted attempt staged, files included."""
    attachments = StagedAttachment.objects.filter(entry__batch=batch)
    _delete_files_on_commit(list(attachments.values_list("file", flat=True)))
    batch.entries.all().delete()


def _delete_files_on_commit(names: Iterable[str]) -> None:
    storage = StagedAttachment.file.field.storage
    for name in names:
        if name:
            transaction.on_commit(partial(storage.delete, name))


# --- Reviewing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportCounts:
    to_import: int
    left_out: int  # unticked by the owner
    already: int  # in her log already, or repeated in the file


def import_counts(batch: ImportBatch) -> ImportCounts:
    importable = Q(already_in_log=False, repeated=False)
    counts = batch.entries.aggregate(
        to_import=Count("pk", filter=importable & Q(include=True)),
        left_out=Count("pk", filter=importable & Q(include=False)),
        already=Count("pk", filter=~importable),
    )
    return ImportCounts(**counts)


def choose_entries(batch: ImportBatch, *, shown: Iterable[int], ticked: Iterable[int]) -> None:
    """Tick ``ticked`` and untick the rest of ``shown`` (the entries on one page of the
    review); entries already in the log stay unticked."""
    shown, ticked = set(shown), set(ticked)
    entries = batch.entries.importable()
    entries.filter(pk__in=shown & ticked).update(include=True)
    entries.filter(pk__in=shown - ticked).update(include=False)


def choose_all(batch: ImportBatch, *, include: bool) -> None:
    batch.entries.importable().update(include=include)


# --- Confirming and discarding ---------------------------------------------------------------


def confirm_import(batch: ImportBatch, *, today: dt.date | None = None) -> bool:
    """Create an entry in the owner's log for every ticked entry it does not hold yet, with
    its tags, capabilities and files, all or nothing. False when the batch was confirmed (or
    discarded) already, by this request or a concurrent one: nothing more is created.

    An entry comes in complete when validate_entry finds nothing missing on ``today``
    (the owner's, by default), as when it is typed; anything less is a draft to finish later."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().filter(pk=batch.pk).first()
            if locked is None or not locked.is_reviewable:
                return False
            owner = batch.owner
            today = today or timezone.localdate(timezone=ZoneInfo(viewer_time_zone(owner)))
            created = _create_entries(locked, owner, today, stored)
            locked.confirmed_at = timezone.now()
            locked.created_count = created
            locked.save(update_fields=["confirmed_at", "created_count"])
            attachments = StagedAttachment.objects.filter(entry__batch=locked)
            _delete_files_on_commit(list(attachments.values_list("file", flat=True)))
            attachments.delete()
    except IntegrityError as error:
        _delete_evidence_files(stored)
        # Only another import confirmed at the same moment can add the same source item.
        raise ImportRejected(
            "Some of these entries reached your log from another import at the same moment, "
            "so nothing was imported from this one. Confirm again to import the rest."
        ) from error
    except Exception:
        # The rows were rolled back; the files copied on the way must not outlive them.
        _delete_evidence_files(stored)
        raise
    batch.refresh_from_db()
    return True


def _delete_evidence_files(names: Iterable[str]) -> None:
    for name in names:
        Evidence.file.field.storage.delete(name)


def _create_entries(batch: ImportBatch, owner, today: dt.date, stored: list[str]) -> int:
    chosen = batch.entries.importable().filter(include=True)
    # An entry confirmed through another import since this one was staged is left out.
    arrived = (
        Entry.objects.for_user(owner)
        .exclude(source_key="")
        .filter(source_key__in=chosen.values("source_key"))
    )
    chosen.filter(source_key__in=arrived.values("source_key")).update(
        already_in_log=True, include=False
    )
    ids = list(chosen.order_by("position").values_list("pk", flat=True))
    capabilities = capability_lookup()
    tag_names = {
        name.lower(): name for names in chosen.values_list("tag_names", flat=True) for name in names
    }
    # One lookup per distinct tag, however many entries carry it; in the order asked for.
    tags = dict(
        zip(tag_names, (tag.pk for tag in tags_for(owner, list(tag_names.values()))), strict=True)
    )
    # Most imports carry no files: one query for all of them rather than one per thousand.
    attachments: dict[int, list[StagedAttachment]] = defaultdict(list)
    for attachment in StagedAttachment.objects.filter(entry__in=chosen).order_by("pk"):
        attachments[attachment.entry_id].append(attachment)
    complete_days: set[dt.date] = set()
    for start in range(0, len(ids), CHUNK):
        staged = list(
            StagedEntry.objects.filter(pk__in=ids[start : start + CHUNK])
            .order_by("position")
            .only(*_CONFIRMED_FIELDS)
        )
        logged = Entry.objects.bulk_create([_entry_from(entry, owner, today) for entry in staged])
        complete_days.update(e.occurred_on for e in logged if e.status == Status.COMPLETE)
        for entry, logged_entry in zip(staged, logged, strict=True):
            entry.logged_entry = logged_entry
        _link_to_logged_entries(staged)
        _link_relations(staged, capabilities, tags)
        Evidence.objects.bulk_create(
            _evidence_copy(attachment, entry.logged_entry, stored)
            for entry in staged
            for attachment in attachments.get(entry.pk, ())
        )
    recount(owner.pk, complete_days)
    return len(ids)


# What confirming reads of a staged entry.
_CONFIRMED_FIELDS = [
    "pk",
    "source_key",
    "capability_codes",
    "tag_names",
    *(field.name for field in EntryFields._meta.fields),
]


def _link_to_logged_entries(staged: list[StagedEntry]) -> None:
    """Point each staged entry at the entry it became. bulk_update's CASE grows with the
    square of the rows; on PostgreSQL one UPDATE joins a VALUES list (one round trip for the
    chunk, where a statement per row spent longer waiting than working); SQLite, in this
    process, runs one statement per row without a round trip."""
    table, logged_entry, pk = map(
        connection.ops.quote_name,
        (
            StagedEntry._meta.db_table,
            StagedEntry._meta.get_field("logged_entry").column,
            StagedEntry._meta.pk.column,
        ),
    )
    pairs = [(entry.pk, entry.logged_entry_id) for entry in staged]
    # The names come from the model, the values are bound.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = ", ".join(["(%s::bigint, %s::bigint)"] * len(pairs))
            cursor.execute(
                f"UPDATE {table} SET {logged_entry} = linked.entry "  # noqa: S608
                f"FROM (VALUES {rows}) AS linked (staged, entry) WHERE {pk} = linked.staged",
                [value for pair in pairs for value in pair],
            )
        else:
            update = f"UPDATE {table} SET {logged_entry} = %s WHERE {pk} = %s"  # noqa: S608
            cursor.executemany(update, [(entry, staged_pk) for staged_pk, entry in pairs])


def _entry_from(entry: StagedEntry, owner, today: dt.date) -> Entry:
    values = entry.entry_values()
    # Ticking an entry in the review confirms what it says.
    verdict = validate_entry(values, owner, today, complete=False, confirmed=True)
    status = Status.COMPLETE if verdict.can_be_complete else Status.DRAFT
    return Entry(owner=owner, source_key=entry.source_key, status=status, **values)


def _link_relations(
    entries: list[StagedEntry], capabilities: dict[str, int], tags: dict[str, int]
) -> None:
    capability_link = Entry.capabilities.through
    tag_link = Entry.tags.through
    capability_link.objects.bulk_create(
        [
            capability_link(entry_id=entry.logged_entry_id, capability_id=capability_id)
            for entry in entries
            for capability_id in {
                capabilities[c.lower()] for c in entry.capability_codes if c.lower() in capabilities
            }
        ]
    )
    tag_link.objects.bulk_create(
        [
            tag_link(entry_id=entry.logged_entry_id, tag_id=tags[name.lower()])
            for entry in entries
            for name in entry.tag_names
        ]
    )


def _evidence_copy(attachment: StagedAttachment, entry: Entry, stored: list[str]) -> Evidence:
    evidence = Evidence(
        entry=entry,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
    )
    with attachment.file.open("rb") as content:
        evidence.file.save(attachment.original_name, content, save=False)
    stored.append(evidence.file.name)
    return evidence


def discard_abandoned_imports(now: dt.datetime) -> int:
    """Discard every import left unconfirmed for IMPORT_KEEP_DAYS (staged, refused or failed):
    nobody will confirm it now, and its proposals and files should not linger. Returns how
    many."""
    stale = ImportBatch.objects.filter(
        state__in=[WorkState.DONE, WorkState.FAILED],
        confirmed_at__isnull=True,
        created_at__lt=now - dt.timedelta(days=settings.IMPORT_KEEP_DAYS),
    )
    return sum(discard_import(batch) for batch in stale)


def discard_import(batch: ImportBatch) -> bool:
    """Forget a staged, rejected or failed import and every file it kept; False when it is
    still being staged or was confirmed (its entries are in the log: nothing to discard)."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if locked is None or locked.is_pending or locked.confirmed_at:
            return False
        _clear_staged(locked)
        _delete_files_on_commit([locked.file.name])
        locked.delete()
    return True


def remove_imports_of(erasure: Erasure) -> None:
    """An account's deletion: its uploads and staged files go once it commits (the rows go
    with it)."""
    batches = ImportBatch.objects.filter(owner=erasure.user)
    erasure.remove_files(ImportBatch.file.field.storage, batches.values_list("file", flat=True))
    attachments = StagedAttachment.objects.filter(entry__batch__owner=erasure.user)
    erasure.remove_files(
        StagedAttachment.file.field.storage, attachments.values_list("file", flat=True)
    )
