"""Writing a practitioner's log: saving an entry with its tags and evidence, deleting it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from accounts.erasure import Erasure

from .evidence import check_evidence_file
from .models import Capability, Entry, Evidence, PendingEvidence, Tag
from .pending_evidence import release
from .tallies import recount

MAX_TAG_LENGTH = 50


def clean_tag_names(typed: Iterable[str]) -> list[str]:
    """["social media", "#MCA", " supervision", "mca"] -> ["social media", "MCA",
    "supervision"]: spaces tidied, no "#", the first spelling wins when the same tag is typed
    twice in different case."""
    names: dict[str, str] = {}
    for raw in typed:
        name = " ".join(raw.strip().lstrip("#").split())[:MAX_TAG_LENGTH]
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


def parse_tag_names(text: str) -> list[str]:
    """Tags typed as one text, separated by commas: "social media, #MCA" -> ["social media",
    "MCA"]."""
    return clean_tag_names(text.split(","))


def tags_for(owner, names: list[str]) -> list[Tag]:
    """``owner``'s tags called ``names`` (in any case), made where they do not exist yet."""
    tags = []
    for name in names:  # a handful per entry: one small query each is fine
        tag = Tag.objects.for_user(owner).filter(name__iexact=name).first()
        tags.append(tag or Tag.objects.create(owner=owner, name=name))
    return tags


def save_entry(
    entry: Entry,
    *,
    owner,
    capabilities: Iterable[Capability],
    tag_names: list[str],
    new_files: Iterable[UploadedFile] = (),
    held_files: Iterable[PendingEvidence] = (),
    removed_evidence: Iterable[Evidence] = (),
) -> Entry:
    """Save ``entry`` (new or changed) as ``owner``'s, with its capabilities, tags and
    evidence, all or nothing: ``new_files`` as uploaded, and ``held_files`` kept from a form
    that came back with an error, which are then released. Files are checked again here, so
    no caller can store one the form would refuse."""
    stored_files: list[str] = []
    held_ids = [held.pk for held in held_files]
    try:
        with transaction.atomic():
            # Locked and read again: of two saves of one form (a double click), the second
            # finds the files already made evidence by the first, and attaches none twice.
            held_files = list(
                PendingEvidence.objects.for_user(owner).select_for_update().filter(pk__in=held_ids)
            )
            dated_before = Entry.objects.filter(pk=entry.pk).values_list("occurred_on", flat=True)
            days = [*dated_before, entry.occurred_on] if entry.pk else [entry.occurred_on]
            entry.owner = owner
            entry.hashtag = entry.hashtag.strip().lstrip("#")
            entry.save()
            entry.capabilities.set(capabilities)
            entry.tags.set(tags_for(owner, tag_names))
            recount(owner.pk, days)
            for evidence in removed_evidence:
                if evidence.entry_id == entry.pk:
                    _delete_evidence(evidence)
            for upload in new_files:
                _attach(entry, upload, stored_files)
            for held in held_files:
                with held.file.open("rb") as stored:
                    _attach(entry, File(stored.file, held.original_name), stored_files)
            release(held_files)
    except Exception:
        # The rows were rolled back; the files written on the way must not outlive them.
        for name in stored_files:
            Evidence.file.field.storage.delete(name)
        raise
    return entry


def _attach(entry: Entry, upload: File, stored_files: list[str]) -> None:
    """Store ``upload`` as evidence of ``entry``, adding its name to ``stored_files`` (to be
    removed if the save fails) before its row is written."""
    kind = check_evidence_file(upload)
    evidence = Evidence(
        entry=entry,
        original_name=upload.name[:255],
        content_type=kind.content_type,
        size=upload.size,
    )
    evidence.file.save(upload.name, upload, save=False)
    stored_files.append(evidence.file.name)
    evidence.save()


def create_once(
    entry: Entry,
    *,
    owner,
    client_id: uuid.UUID,
    capabilities: Iterable[Capability] = (),
    tag_names: list[str] | None = None,
) -> tuple[Entry, bool]:
    """Save the new ``entry`` that a client identified as ``client_id``, unless ``owner``
    already has it: a sync or request retried after its response was lost returns the entry
    the first attempt made. Returns the entry and whether it was created now."""
    mine = Entry.objects.for_user(owner)
    existing = mine.filter(client_id=client_id).first()
    if existing:
        return existing, False
    entry.client_id = client_id
    try:
        with transaction.atomic():
            saved = save_entry(
                entry, owner=owner, capabilities=capabilities, tag_names=tag_names or []
            )
    except IntegrityError:
        # Two copies of one request raced past the check above; the unique constraint let
        # exactly one of them in.
        existing = mine.filter(client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    return saved, True


def _delete_evidence(evidence: Evidence) -> None:
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def delete_entry(entry: Entry) -> None:
    for evidence in entry.evidence.all():
        _delete_evidence(evidence)
    owner_id, day = entry.owner_id, entry.occurred_on
    entry.delete()
    recount(owner_id, [day])


def remove_evidence_of(erasure: Erasure) -> None:
    """An account's deletion: its evidence files go once it commits (the rows go with it)."""
    names = Evidence.objects.for_user(erasure.user).values_list("file", flat=True)
    erasure.remove_files(Evidence.file.field.storage, names)
