""" "Download everything": one ZIP of all a user keeps here, built in the background.

The ZIP holds account.json (the document that schema/account-export.schema.json describes:
the profile, every entry with its tags, capabilities and files, summaries with their versions,
notifications, the reading list, suggestions, API tokens without their secrets, and programme
submissions with their versions, comments and sign-offs as the student sees them) and every
evidence file under evidence/, as the owner's evidence packs name them. account_data/importing.py
reads it back on another portal.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.erasure import Erasure
from api.models import AccessToken
from core.background import Claim, expire_files, run_claimed
from core.leftovers import save_whole, working_folder
from core.models import WorkState
from packs.building import PackWriter, Progress, evidence_path, file_sha256
from peer_confirmations.models import PeerConfirmation
from portfolio.models import Capability, Entry, EntryQuerySet, Evidence, Tag
from programmes.models import Comment, Membership, Notification, Submission
from resources.models import ReadingListEntry, Resource, Suggestion
from summaries.models import ReflectiveSummary

from .models import AccountExport
from .records import (
    ACCESS_TOKEN_FIELDS,
    AUDIT_FIELDS,
    COMMENT_FIELDS,
    DOCUMENT_NAME,
    ENTRY_FIELDS,
    EVIDENCE_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    MEMBERSHIP_FIELDS,
    NOTIFICATION_FIELDS,
    PEER_CONFIRMATION_FIELDS,
    PROFILE_FIELDS,
    READING_LIST_FIELDS,
    SIGN_OFF_FIELDS,
    SNAPSHOT_ENTRY_FIELDS,
    SNAPSHOT_FIELDS,
    SUBMISSION_FIELDS,
    SUGGESTION_FIELDS,
    SUMMARY_FIELDS,
    plain,
    record_of,
)

WORK_LABEL = "account_exports"  # as registered with core.background (account_data.apps)
ENTRIES_PER_STEP = 50  # entries whose files are copied between two heartbeats

# Given an evidence file, copies it into the ZIP and returns where it lies there and the
# SHA-256 of its bytes; None when the file is missing from storage.
StoreFile = Callable[[Evidence], tuple[str, str] | None]


# --- Requesting an export ------------------------------------------------------------------


def _enqueue(account_export_id) -> None:
    from .tasks import build_account_export  # the task module imports this one

    build_account_export.delay(str(account_export_id))


def request_account_export(owner) -> AccountExport:
    """Queue an export of everything ``owner`` keeps here; one already on its way is
    returned instead, so pressing the button twice builds one."""
    with transaction.atomic():
        pending = (
            AccountExport.objects.for_user(owner)
            .filter(state__in=[WorkState.QUEUED, WorkState.RUNNING])
            .first()
        )
        if pending is not None:
            return pending
        account_export = AccountExport.objects.create(owner=owner)
        transaction.on_commit(partial(_enqueue, account_export.pk))
    return account_export


def latest_account_export(owner) -> AccountExport | None:
    return AccountExport.objects.for_user(owner).first()


def is_downloadable(account_export: AccountExport, now: dt.datetime) -> bool:
    return (
        account_export.state == WorkState.DONE
        and bool(account_export.file)
        and account_export.expires_at > now
    )


def export_filename(account_export: AccountExport) -> str:
    return f"cpd-portal-account-{account_export.created_at:%Y-%m-%d}.zip"


# --- The document ----------------------------------------------------------------------------


def _resource_record(resource: Resource | None) -> dict[str, str] | None:
    """A library resource by its link, which is unique: the way another portal finds it."""
    return None if resource is None else {"url": resource.url, "title": resource.title}


def _entry_record(entry: Entry, store_file: StoreFile) -> dict[str, Any]:
    evidence = []
    for item in entry.evidence.all():
        stored = store_file(item)
        path, sha256 = stored if stored else (None, None)
        evidence.append({"path": path, "sha256": sha256, **record_of(item, EVIDENCE_FIELDS)})
    return {
        # Its number here: only to link versions of submissions to it within this file.
        "ref": entry.pk,
        **record_of(entry, ENTRY_FIELDS),
        "resource": _resource_record(entry.resource),
        "capabilities": [
            {"framework": c.framework.slug, "code": c.code, "name": c.name}
            for c in entry.capabilities.all()
        ],
        "tags": [tag.name for tag in entry.tags.all()],
        "evidence": evidence,
        "peer_confirmations": [
            record_of(confirmation, PEER_CONFIRMATION_FIELDS)
            for confirmation in entry.peer_confirmations.all()
        ],
    }


def owner_entries(owner) -> EntryQuerySet:
    return (
        Entry.objects.for_user(owner)
        .order_by("created_at", "pk")
        .select_related("resource")
        .prefetch_related(
            Prefetch("capabilities", queryset=Capability.objects.select_related("framework")),
            "tags",
            "evidence",
            Prefetch("peer_confirmations", PeerConfirmation.objects.order_by("requested_at", "pk")),
        )
    )


def _submission_record(submission: Submission) -> dict[str, Any]:
    """A submission as its student sees it: every version, the conversation, the outcome and
    its history. Leaders appear by the names they signed with, as on her pages."""
    versions = list(submission.snapshots.order_by("number").prefetch_related("entries"))
    numbers = {snapshot.pk: snapshot.number for snapshot in versions}
    positions = {
        entry.pk: entry.position for snapshot in versions for entry in snapshot.entries.all()
    }
    comments = Comment.objects.filter(snapshot__submission=submission).order_by("created_at", "pk")
    sign_off = getattr(submission, "sign_off", None)
    return {
        **record_of(submission, SUBMISSION_FIELDS),
        "versions": [
            {
                **record_of(snapshot, SNAPSHOT_FIELDS),
                "entries": [
                    {**record_of(entry, SNAPSHOT_ENTRY_FIELDS), "live_entry": entry.live_entry_id}
                    for entry in snapshot.entries.all()
                ],
            }
            for snapshot in versions
        ],
        "comments": [
            {
                "ref": comment.pk,
                "version": numbers[comment.snapshot_id],
                "entry_position": positions.get(comment.entry_id),
                "reply_to": comment.reply_to_id,
                **record_of(comment, COMMENT_FIELDS),
            }
            for comment in comments
        ],
        "sign_off": (
            {"version": numbers[sign_off.snapshot_id], **record_of(sign_off, SIGN_OFF_FIELDS)}
            if sign_off
            else None
        ),
        "history": [
            record_of(event, AUDIT_FIELDS)
            for event in submission.audit_events.order_by("created_at", "pk")
        ],
    }


def _membership_record(membership: Membership) -> dict[str, Any]:
    return {
        "programme": membership.cohort.programme.name,
        "cohort": membership.cohort.name,
        **record_of(membership, MEMBERSHIP_FIELDS),
        "submissions": [
            _submission_record(submission)
            for submission in membership.submissions.select_related("sign_off").order_by("year")
        ],
        "consent_history": [
            record_of(event, AUDIT_FIELDS)
            for event in membership.audit_events.order_by("created_at", "pk")
        ],
    }


def account_document(
    owner, *, exported_at: dt.datetime, store_file: StoreFile, advance: Callable[[str], None]
) -> dict[str, Any]:
    """Everything ``owner`` keeps here, as account.json holds it. Each evidence file is handed
    to ``store_file`` as its entry is read; ``advance`` is told of each step done."""
    entries = []
    for n, entry in enumerate(owner_entries(owner).iterator(chunk_size=ENTRIES_PER_STEP), 1):
        entries.append(_entry_record(entry, store_file))
        if n % ENTRIES_PER_STEP == 0:
            advance(f"Copied the files of {n} entries")
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": plain(exported_at),
        "exported_from": settings.SITE_URL,
        "profile": record_of(owner, PROFILE_FIELDS),
        "tags": list(Tag.objects.for_user(owner).order_by("pk").values_list("name", flat=True)),
        "entries": entries,
        "summaries": [
            record_of(summary, SUMMARY_FIELDS)
            for summary in ReflectiveSummary.objects.for_user(owner).order_by("created_at", "pk")
        ],
        "notifications": [
            record_of(notification, NOTIFICATION_FIELDS)
            for notification in Notification.objects.for_user(owner).order_by("created_at", "pk")
        ],
        "reading_list": [
            {"resource": _resource_record(saved.resource), **record_of(saved, READING_LIST_FIELDS)}
            for saved in ReadingListEntry.objects.for_user(owner)
            .select_related("resource")
            .order_by("saved_at", "pk")
        ],
        "suggestions": [
            record_of(suggestion, SUGGESTION_FIELDS)
            for suggestion in Suggestion.objects.for_user(owner).order_by("created_at", "pk")
        ],
        "access_tokens": [
            record_of(token, ACCESS_TOKEN_FIELDS)
            for token in AccessToken.objects.for_user(owner).order_by("created_at", "pk")
        ],
        "programmes": [
            _membership_record(membership)
            for membership in Membership.objects.for_user(owner)
            .select_related("cohort__programme")
            .order_by("joined_at", "pk")
        ],
    }
    advance("Gathered summaries, notifications and submissions")
    return document


# --- Writing the ZIP -------------------------------------------------------------------------


def write_account_export(owner, archive_path: Path, claim: Claim) -> None:
    """The whole ZIP at ``archive_path``: the evidence files as their entries are read, then
    account.json, which records each file's SHA-256."""
    entry_count = Entry.objects.for_user(owner).count()
    progress = Progress(claim, entry_count // ENTRIES_PER_STEP + 2)
    with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = PackWriter(archive)

        def store_file(evidence: Evidence) -> tuple[str, str] | None:
            try:
                source = evidence.file.open("rb")
            except FileNotFoundError:
                return None  # account.json says so: a path and hash of null
            path = evidence_path(evidence)
            with source, writer.binary(path) as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
            return path, writer.files[-1]["sha256"]

        document = account_document(
            owner, exported_at=timezone.now(), store_file=store_file, advance=progress.advance
        )
        with writer.text(DOCUMENT_NAME) as out:
            json.dump(document, out, ensure_ascii=False, indent=1)
        progress.advance(f"Wrote {DOCUMENT_NAME}")


def build_account_export(account_export_id, *, last_try: bool) -> bool:
    """Build a queued export and store it privately; False when there was nothing to do."""

    def work(claim: Claim) -> dict[str, Any]:
        account_export = AccountExport.objects.select_related("owner").get(pk=account_export_id)
        storage = AccountExport.file.field.storage
        # Built in a working folder of its own (the sweep removes it if the worker is killed);
        # stored whole, and the row names it only once this claim finishes.
        with working_folder(WORK_LABEL, account_export.pk, claim.attempt) as workdir:
            archive_path = Path(workdir) / "account-export.zip"
            write_account_export(account_export.owner, archive_path, claim)
            with archive_path.open("rb") as handle:
                sha256 = file_sha256(handle)
                handle.seek(0)
                # The attempt is in the name: a worker that lost its claim never overwrites.
                name = (
                    f"account-exports/{account_export.owner_id}/"
                    f"{account_export.pk}-{claim.attempt}.zip"
                )
                stored = save_whole(storage, name, File(handle))
        return {
            "file": stored,
            "sha256": sha256,
            "size": storage.size(stored),
            "progress": 100,
            "step": "Ready to download",
            "expires_at": timezone.now() + dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS),
        }

    def discard(fields: dict[str, Any]) -> None:
        AccountExport.file.field.storage.delete(fields["file"])

    return run_claimed(AccountExport, account_export_id, work, last_try=last_try, discard=discard)


def delete_expired_account_exports(now: dt.datetime) -> int:
    """Delete the files of exports past their expiry and mark them expired. Returns how many."""
    return expire_files(AccountExport, now)


def remove_account_exports_of(erasure: Erasure) -> None:
    """An account's deletion: its exports' files go once it commits (the rows go with it)."""
    names = AccountExport.objects.filter(owner=erasure.user).values_list("file", flat=True)
    erasure.remove_files(AccountExport.file.field.storage, names)
