"""Evidence packs: a ZIP built in the background for a period or a selection of entries.

The pack holds portfolio.pdf (cover, summary, her regulator's section, capability coverage, the
chronological list, each entry with its reflection and peer discussion, sign-offs, an index of
files), renewal-sheet.pdf (the entries under her regulator's questions), the evidence files,
activities.csv (with hours, and credits where her regulator counts them),
portfolio.json, leap2a.xml and manifest.json with the SHA-256 of every other file. Everything is
written a chunk of entries at a time, so memory stays flat however long the portfolio is.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename

from accounts.erasure import Erasure
from core.background import Claim, expire_files, retry, run_claimed
from core.leftovers import save_whole, working_folder
from core.models import WorkState
from core.outbox import about_key, owe_email
from core.periods import Period
from core.site import absolute_url, email_context, email_subject
from portfolio.models import ActivityType, Entry, EntryQuerySet, Evidence
from regulators.profiles import RegulatorProfile
from regulators.registrations import registration_of
from summaries.summaries import latest_summary, tally

from .leap2a import write_leap2a
from .models import EvidencePack, PackFile
from .pdf import PartRenderer, join_pdfs
from .regulator_section import (
    decimal_hours,
    pack_regulator,
    pip_credits,
    renewal_entries,
    with_capabilities,
)

EXPORT_SCHEMA_VERSION = "1.0"
ENTRIES_PER_PART = 50  # entries rendered per PDF part: bounds the renderer's memory
ROWS_PER_PART = 150  # rows of the chronological list or the file index per PDF part
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WORK_LABEL = "evidence_packs"  # as registered with core.background (packs.apps)


# --- Requesting a pack ---------------------------------------------------------------------


def _enqueue(evidence_pack_id) -> None:
    from .tasks import build_evidence_pack  # the task module imports this one

    build_evidence_pack.delay(str(evidence_pack_id))


def request_evidence_pack(
    owner, *, period: Period | None = None, selection: Sequence[Entry] = ()
) -> EvidencePack:
    """Queue a pack of ``period``, or of the ``selection`` of the owner's complete entries."""
    if selection:
        dates = [a.occurred_on for a in selection]
        period = Period(min(dates), max(dates))
    if period is None:
        raise ValueError("An export needs a period or a selection of entries.")
    regulator, registered_on = registration_of(owner)
    with transaction.atomic():
        evidence_pack = EvidencePack.objects.create(
            owner=owner,
            regulator=regulator.code,
            registered_on=registered_on,
            exporter_name=owner.display_name,
            period_start=period.start,
            period_end=period.end,
            by_selection=bool(selection),
        )
        if selection:
            evidence_pack.selected.set(selection)
        transaction.on_commit(partial(_enqueue, evidence_pack.pk))
    return evidence_pack


def evidence_pack_entries(evidence_pack: EvidencePack) -> EntryQuerySet:
    """The entries a pack includes, oldest first; only ever the owner's complete ones."""
    entries = Entry.objects.for_user(evidence_pack.owner).complete()
    if evidence_pack.by_selection:
        entries = entries.filter(pk__in=evidence_pack.selected.values("pk"))
    else:
        entries = entries.filter(
            occurred_on__range=(evidence_pack.period_start, evidence_pack.period_end)
        )
    return entries.order_by("occurred_on", "pk")


def batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def at_least_one(batches: Iterator[list]) -> Iterator[list]:
    """``batches``, or a single empty one: a section with nothing in it still says so."""
    yield next(batches, [])
    yield from batches


def entry_chunks(entries: EntryQuerySet, size: int = ENTRIES_PER_PART) -> Iterator[list]:
    """``entries`` with everything a pack shows, ``size`` at a time from a server-side cursor."""
    detailed = with_capabilities(entries).prefetch_related("tags", "evidence")
    return batches(detailed.iterator(chunk_size=size), size)


def all_entries(entries: EntryQuerySet) -> Iterator[Entry]:
    for chunk in entry_chunks(entries):
        yield from chunk


def evidence_path(evidence: Evidence) -> str:
    """Where a file lies in the pack: unique by id, named as the practitioner named it."""
    name = get_valid_filename(evidence.original_name) or "file"
    return f"evidence/{evidence.entry_id}/{evidence.pk}-{name}"


# Sign-offs are programme leaders' (programmes builds on packs, not the other way round), so
# programmes registers where to find them: see register_signoff_source.
SignoffSource = Callable[[Any, Period], list[dict[str, str]]]
_signoff_sources: list[SignoffSource] = []


def register_signoff_source(source: SignoffSource) -> None:
    """Called from an AppConfig.ready(): ``source(owner, period)`` gives the sign-offs of the
    CPD years the period overlaps, as dicts of date, date_label, by, programme and what."""
    if source not in _signoff_sources:
        _signoff_sources.append(source)


def signoffs_for(owner, period: Period) -> list[dict[str, str]]:
    """The sign-offs the PDF and portfolio.json show."""
    return [signoff for source in _signoff_sources for signoff in source(owner, period)]


# Colleagues' confirmations of peer discussions, likewise (peer_confirmations builds on packs).
PeerConfirmationSource = Callable[[EntryQuerySet], list[dict[str, Any]]]
_peer_confirmation_sources: list[PeerConfirmationSource] = []


def register_peer_confirmation_source(source: PeerConfirmationSource) -> None:
    """Called from an AppConfig.ready(): ``source(entries)`` gives colleagues' answers about
    the peer discussions of ``entries``, as dicts (entry_id, entry_title, entry_date_label, by,
    role, registration_number, date_label, answer, correction, of_earlier_text)."""
    if source not in _peer_confirmation_sources:
        _peer_confirmation_sources.append(source)


def peer_confirmations_for(entries: EntryQuerySet) -> list[dict[str, Any]]:
    """The colleagues' answers the PDF and portfolio.json show."""
    return [answer for source in _peer_confirmation_sources for answer in source(entries)]


# --- The data files ------------------------------------------------------------------------


def entry_record(entry: Entry) -> dict[str, Any]:
    """One entry, complete, as portfolio.json holds it."""
    return {
        "id": entry.pk,
        "title": entry.title,
        "type": entry.activity_type,
        "type_label": entry.get_activity_type_display(),
        "platform": entry.platform,
        "url": entry.url,
        "date": entry.occurred_on.isoformat(),
        "duration_minutes": entry.duration_minutes,
        "hashtag": entry.hashtag,
        "status": entry.status,
        "what_happened": entry.what_happened,
        "what_learned": entry.what_learned,
        "impact": entry.impact,
        "is_peer_reflected": entry.is_peer_reflected,
        "peer_role": entry.peer_role,
        "peer_learning": entry.peer_learning,
        "capabilities": [
            {"framework": c.framework.slug, "code": c.code, "name": c.name}
            for c in entry.capabilities.all()
        ],
        "tags": [tag.name for tag in entry.tags.all()],
        "evidence": [
            {
                "name": e.original_name,
                "content_type": e.content_type,
                "size": e.size,
                "path": evidence_path(e),
                "uploaded_at": e.uploaded_at.isoformat(),
            }
            for e in entry.evidence.all()
        ],
        "created_at": entry.created_at.isoformat(),
        "updated_at": entry.updated_at.isoformat(),
    }


CSV_COLUMNS = [
    "id",
    "date",
    "title",
    "type_label",
    "platform",
    "duration_minutes",
    "hours",
    "hashtag",
    "url",
    "what_happened",
    "what_learned",
    "impact",
    "is_peer_reflected",
    "peer_role",
    "peer_learning",
    "capabilities",
    "tags",
    "evidence",
]


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will show as text: one starting like a formula gets a leading
    apostrophe, so opening the CSV never runs anything a reflection happened to begin with.
    Text that already starts with an apostrophe and a formula start gets one too, so that
    undo_spreadsheet_safe always gives back exactly what was written."""
    if isinstance(value, str) and value.lstrip("'").startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def undo_spreadsheet_safe(cell: str) -> str:
    """A cell as it was before spreadsheet_safe: the apostrophe comes off only where
    spreadsheet_safe puts one, so text that simply starts with an apostrophe keeps it."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell


CREDITS_COLUMN = "pip_credits"  # after "hours", where the pack's regulator counts credits


def csv_columns(regulator: RegulatorProfile | None = None) -> list[str]:
    if regulator is None or not regulator.counts_credits:
        return CSV_COLUMNS
    at = CSV_COLUMNS.index("hours") + 1
    return [*CSV_COLUMNS[:at], CREDITS_COLUMN, *CSV_COLUMNS[at:]]


def write_entries_csv(
    out, entries: Iterable[Entry], regulator: RegulatorProfile | None = None
) -> None:
    """activities.csv: every entry, with its time in decimal hours and, where ``regulator``
    counts them, its Professional in Practice credits."""
    writer = csv.DictWriter(out, fieldnames=csv_columns(regulator), extrasaction="ignore")
    writer.writeheader()
    credits_rule = regulator.rule("credits") if regulator else None
    for entry in entries:
        record = entry_record(entry)
        record["hours"] = decimal_hours(entry.duration_minutes)
        if credits_rule:
            record[CREDITS_COLUMN] = pip_credits(credits_rule, entry)
        record["capabilities"] = "; ".join(c["code"] for c in record["capabilities"])
        record["tags"] = "; ".join(record["tags"])
        record["evidence"] = "; ".join(e["path"] for e in record["evidence"])
        writer.writerow({k: spreadsheet_safe(v) for k, v in record.items()})


def write_portfolio_json(out, header: dict[str, Any], entries: Iterable[Entry]) -> None:
    """The header's keys, then "activities": written one entry at a time."""
    out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "activities": [')
    for n, entry in enumerate(entries):
        out.write(("," if n else "") + "\n  " + json.dumps(entry_record(entry), ensure_ascii=False))
    out.write("\n ]\n}\n")


# --- Writing the ZIP -----------------------------------------------------------------------


class _HashingWriter(io.RawIOBase):
    """Passes bytes to a ZIP member, keeping their SHA-256 and length for the manifest."""

    def __init__(self, target):
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class PackWriter:
    """Adds files to the ZIP one at a time and records each in the manifest."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.files: list[dict[str, Any]] = []

    @contextmanager
    def binary(self, path: str) -> Iterator[_HashingWriter]:
        with self.archive.open(path, "w", force_zip64=True) as member:
            writer = _HashingWriter(member)
            yield writer
        self.files.append({"path": path, "sha256": writer.digest.hexdigest(), "size": writer.size})

    @contextmanager
    def text(self, path: str) -> Iterator[io.TextIOWrapper]:
        with self.binary(path) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
            yield text
            text.flush()
            text.detach()

    def manifest(self, evidence_pack: EvidencePack) -> None:
        files = list(self.files)
        with self.text("manifest.json") as out:
            json.dump(
                {
                    "schema_version": EXPORT_SCHEMA_VERSION,
                    "evidence_pack_id": str(evidence_pack.pk),
                    "created_at": evidence_pack.created_at.isoformat(),
                    "algorithm": "sha256",
                    "files": files,
                },
                out,
                indent=1,
            )


class Progress:
    """Reports each finished step as the export's progress and heartbeat."""

    def __init__(self, claim: Claim, total_steps: int):
        self.claim, self.total, self.done = claim, max(total_steps, 1), 0

    def advance(self, step: str) -> None:
        if settings.EXPORT_STEP_DELAY_SECONDS:
            time.sleep(settings.EXPORT_STEP_DELAY_SECONDS)
        self.done += 1
        percent = min(99, round(100 * self.done / self.total))  # 100 only when stored
        self.claim.heartbeat(progress=percent, step=step[:120])


def _parts(count: int, size: int) -> int:
    return math.ceil(count / size)


def pack_context(evidence_pack: EvidencePack, entries: EntryQuerySet) -> dict[str, Any]:
    """What the cover, the summary and the JSON header share."""
    period = evidence_pack.period
    summary = None if evidence_pack.by_selection else latest_summary(evidence_pack.owner, period)
    owner = evidence_pack.owner
    return {
        "evidence_pack": evidence_pack,
        "owner": owner,
        "period": period,
        "summary": summary,
        "facts": tally(all_entries(entries), period, timezone.localdate()),
        "signoffs": signoffs_for(owner, period),
        "regulator": pack_regulator(evidence_pack, entries, timezone.localdate()),
        "peer_confirmations": peer_confirmations_for(entries),
        "generated_at": timezone.now(),
        "verify_url": evidence_pack.verify_url(),
    }


def _json_header(evidence_pack: EvidencePack, context: dict[str, Any]) -> dict[str, Any]:
    owner, summary = context["owner"], context["summary"]
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "evidence_pack_id": str(evidence_pack.pk),
        "exported_at": context["generated_at"].isoformat(),
        "owner": {
            "display_name": owner.display_name,
            "registration_number": owner.registration_number,
            "specialism": owner.specialism,
            "employer": owner.employer,
        },
        "period": {
            "start": evidence_pack.period_start.isoformat(),
            "end": evidence_pack.period_end.isoformat(),
        },
        "selection": evidence_pack.by_selection,
        "regulator": {"code": evidence_pack.regulator, "name": context["regulator"].profile.name},
        "summary": (
            {"version": summary.version, "text": summary.text, "facts": summary.facts}
            if summary
            else None
        ),
        "signoffs": context["signoffs"],
        "peer_confirmations": context["peer_confirmations"],
    }


def _render_parts(
    renderer: PartRenderer,
    workdir: Path,
    name: str,
    parts: Iterable[tuple[str, str, dict[str, Any]]],
    base: dict[str, Any],
    progress: Progress,
) -> list[tuple[Path, str]]:
    """Render each (template, bookmark, context) to its own PDF file: the HTML here, where
    the database is, the PDF in the renderer's processes."""
    titles: dict[Path, str] = {}

    def documents() -> Iterator[tuple[str, Path]]:
        for n, (template, title, context) in enumerate(parts):
            path = workdir / f"{name}-{n:05d}.pdf"
            titles[path] = title
            yield render_to_string(template, {**base, **context}), path

    rendered = []
    for path in renderer.render(documents()):
        rendered.append((path, titles[path]))
        progress.advance(f"Rendered {titles[path]}")
    return rendered


def _portfolio_parts(entries: EntryQuerySet) -> Iterator[tuple[str, str, dict[str, Any]]]:
    yield "packs/pdf/cover.html", "Cover and summary", {}
    listing = (
        (day, title, ActivityType(kind).label, minutes, peer)
        for day, title, kind, minutes, peer in entries.values_list(
            "occurred_on", "title", "activity_type", "duration_minutes", "is_peer_reflected"
        ).iterator()
    )
    for n, rows in enumerate(at_least_one(batches(listing, ROWS_PER_PART))):
        yield (
            "packs/pdf/entry_list.html",
            "Entries in date order" if n == 0 else f"Entries in date order (continued, {n + 1})",
            {"rows": rows, "first": n == 0},
        )
    for n, chunk in enumerate(entry_chunks(entries)):
        yield (
            "packs/pdf/entries.html",
            f"Entries: {chunk[0].occurred_on:%-d %b %Y} to {chunk[-1].occurred_on:%-d %b %Y}",
            {"entries": chunk, "first": n == 0},
        )
    files = Evidence.objects.filter(entry__in=entries).order_by(
        "entry__occurred_on", "entry_id", "pk"
    )
    indexed = ((e, evidence_path(e)) for e in files.select_related("entry").iterator())
    for n, rows in enumerate(at_least_one(batches(indexed, ROWS_PER_PART))):
        yield (
            "packs/pdf/signoffs_and_files.html",
            "Sign-offs, peer confirmations and index of files"
            if n == 0
            else f"Index of files ({n + 1})",
            {"files": rows, "first": n == 0},
        )


def _renewal_parts(
    entries: EntryQuerySet, regulator: RegulatorProfile
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for n, chunk in enumerate(at_least_one(entry_chunks(entries))):
        yield (
            "packs/pdf/renewal_sheet.html",
            "Renewal sheet" if n == 0 else "Renewal sheet (continued)",
            {"entries": renewal_entries(regulator, chunk), "first": n == 0},
        )


def write_pack(
    evidence_pack: EvidencePack, archive_path: Path, workdir: Path, claim: Claim
) -> tuple[int, list[dict[str, Any]]]:
    """Build the whole ZIP at ``archive_path``; returns the number of entries in it, and its
    files (path, sha256, size) as the manifest lists them, the manifest itself last."""
    entries = evidence_pack_entries(evidence_pack)
    count = entries.count()
    files = Evidence.objects.filter(entry__in=entries).count()
    chunks, rows = _parts(count, ENTRIES_PER_PART), _parts(count, ROWS_PER_PART)
    data_files, evidence_steps = 3, chunks
    portfolio_pdf = 1 + max(1, rows) + chunks + max(1, _parts(files, ROWS_PER_PART)) + 1  # + join
    renewal_pdf = max(1, chunks) + 1
    progress = Progress(claim, data_files + evidence_steps + portfolio_pdf + renewal_pdf)
    context = pack_context(evidence_pack, entries)
    regulator = context["regulator"].profile

    with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        pack = PackWriter(archive)
        with pack.text("activities.csv") as out:
            write_entries_csv(out, all_entries(entries), regulator)
        progress.advance("Wrote activities.csv")
        with pack.text("portfolio.json") as out:
            write_portfolio_json(out, _json_header(evidence_pack, context), all_entries(entries))
        progress.advance("Wrote portfolio.json")
        with pack.text("leap2a.xml") as out:
            write_leap2a(
                out,
                evidence_pack_id=str(evidence_pack.pk),
                author=context["owner"].display_name or "CPD Portal user",
                entries=all_entries(entries),
                evidence_path=evidence_path,
                credits_rule=regulator.rule("credits"),
            )
        progress.advance("Wrote leap2a.xml")
        for chunk in entry_chunks(entries):
            for evidence in (e for entry in chunk for e in entry.evidence.all()):
                _copy_evidence(pack, evidence)
            progress.advance("Copied evidence files")

        with PartRenderer(settings.EXPORT_RENDER_PROCESSES) as renderer:
            for name, parts in (
                ("portfolio", _portfolio_parts(entries)),
                ("renewal-sheet", _renewal_parts(entries, regulator)),
            ):
                rendered = _render_parts(renderer, workdir, name, parts, context, progress)
                with pack.binary(f"{name}.pdf") as out:
                    join_pdfs(rendered, out)
                for path, _ in rendered:
                    path.unlink()
                progress.advance(f"Joined {name}.pdf")
        pack.manifest(evidence_pack)
    return count, pack.files


def _copy_evidence(pack: PackWriter, evidence: Evidence) -> None:
    try:
        source = evidence.file.open("rb")
    except FileNotFoundError:
        return  # the index in the PDF lists it; the manifest says what is really here
    with source, pack.binary(evidence_path(evidence)) as out:
        shutil.copyfileobj(source, out, 1024 * 1024)


def file_sha256(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(partial(handle.read, 1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def build_evidence_pack(evidence_pack_id, *, last_try: bool) -> bool:
    """Build a queued pack and store it privately; False when there was nothing to do. The
    owner is owed an email, and its files are recorded for /verify/, in the transaction that
    marks it done."""
    built_files: list[dict[str, Any]] = []

    def work(claim: Claim) -> dict[str, Any]:
        evidence_pack = EvidencePack.objects.select_related("owner").get(pk=evidence_pack_id)
        storage = EvidencePack.file.field.storage
        with working_folder(WORK_LABEL, evidence_pack.pk, claim.attempt) as workdir:
            archive_path = Path(workdir) / "pack.zip"
            count, files = write_pack(evidence_pack, archive_path, Path(workdir), claim)
            built_files[:] = files
            claim.heartbeat(step="Storing the pack")
            with archive_path.open("rb") as handle:
                sha256 = file_sha256(handle)
                handle.seek(0)
                # The attempt is in the name: a worker that lost its claim never overwrites.
                name = f"exports/{evidence_pack.owner_id}/{evidence_pack.pk}-{claim.attempt}.zip"
                stored = save_whole(storage, name, File(handle))
        now = timezone.now()
        return {
            "file": stored,
            "sha256": sha256,
            "size": storage.size(stored),
            "entry_count": count,
            "progress": 100,
            "step": "Ready to download",
            "expires_at": now + dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS),
        }

    def discard(fields: dict[str, Any]) -> None:
        EvidencePack.file.field.storage.delete(fields["file"])

    def finished() -> None:
        record_pack_files(evidence_pack_id, built_files)
        owe_ready_email(evidence_pack_id)

    return run_claimed(
        EvidencePack,
        evidence_pack_id,
        work,
        last_try=last_try,
        discard=discard,
        then=finished,
    )


# --- After the build -----------------------------------------------------------------------


def record_pack_files(evidence_pack_id, files: Iterable[dict[str, Any]]) -> None:
    """Record each file of a built pack by its hash, so /verify/ can say which one an upload
    is. A file already recorded (the same pack recorded twice) is left as it is."""
    PackFile.objects.bulk_create(
        [
            PackFile(
                evidence_pack_id=evidence_pack_id,
                path=file["path"],
                sha256=file["sha256"],
                size=file["size"],
            )
            for file in files
        ],
        ignore_conflicts=True,
    )


def owe_ready_email(evidence_pack_id) -> None:
    """Record that the owner is owed a "pack ready" email (core.outbox sends it)."""
    evidence_pack = EvidencePack.objects.select_related("owner").get(pk=evidence_pack_id)
    body = render_to_string(
        "packs/ready_email.txt",
        email_context()
        | {
            "evidence_pack": evidence_pack,
            "period": evidence_pack.period,
            "url": absolute_url(evidence_pack.get_absolute_url()),
            "verify_url": evidence_pack.verify_url(),
        },
    )
    owe_email(
        kind="pack_ready",
        about=about_key(evidence_pack),
        recipient=evidence_pack.owner.email,
        subject=email_subject("Your evidence pack is ready"),
        body=body,
    )


def retry_evidence_pack(evidence_pack: EvidencePack) -> bool:
    """Try a failed pack again, from a fresh count of attempts; False if it had not failed."""
    return retry(evidence_pack, _enqueue)


def is_downloadable(evidence_pack: EvidencePack, now: dt.datetime) -> bool:
    return (
        evidence_pack.state == WorkState.DONE
        and bool(evidence_pack.file)
        and evidence_pack.expires_at > now
    )


def delete_expired_evidence_packs(now: dt.datetime) -> int:
    """Delete the files of packs past their expiry and mark them expired; the row stays, so
    /verify/ can still say what was exported. Returns how many expired."""
    return expire_files(EvidencePack, now)


def pack_filename(evidence_pack: EvidencePack) -> str:
    return f"cpd-evidence-pack-{evidence_pack.period_start}-to-{evidence_pack.period_end}.zip"


def remove_packs_of(erasure: Erasure) -> None:
    """An account's deletion: its packs' files go once it commits (the rows go with it)."""
    names = EvidencePack.objects.filter(owner=erasure.user).values_list("file", flat=True)
    erasure.remove_files(EvidencePack.file.field.storage, names)
