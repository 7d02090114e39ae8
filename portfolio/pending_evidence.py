"""Files chosen on an entry's form that came back with an error: held against the form's token
until the entry is saved (when they become its evidence, in ``entries.save_entry``), removed,
or abandoned (swept by core/leftovers.py after PENDING_EVIDENCE_KEEP_SECONDS).

A form carries its token in a hidden field; every read is scoped to the owner and the token,
so a token copied from someone else's form holds nothing of theirs."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from accounts.erasure import Erasure

from .evidence import check_evidence_file
from .models import PendingEvidence, PendingEvidenceQuerySet

# What secrets.token_urlsafe makes; anything else posted as a token is replaced by a new one.
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")


def form_token(posted: str | None) -> str:
    """The token a form posted, or a new one when it posted none (or not one of ours)."""
    if posted and TOKEN_FORMAT.fullmatch(posted):
        return posted
    return secrets.token_urlsafe(24)


def held_files(owner, token: str) -> PendingEvidenceQuerySet:
    return PendingEvidence.objects.for_user(owner).held_for(token)


def check_room(upload: UploadedFile, used: int) -> None:
    """Refuse a file that would take one save's files (``used`` bytes already) over the most
    one save may carry, EVIDENCE_MAX_BYTES: held files count, as if chosen again."""
    limit = settings.EVIDENCE_MAX_BYTES
    if used + upload.size > limit:
        raise ValidationError(
            f"{upload.name} would bring this save's files to {filesizeformat(used + upload.size)}; "
            f"one save may carry {filesizeformat(limit)}. Save the entry, then edit it to "
            f"attach {upload.name}."
        )


def hold_files(
    owner,
    token: str,
    uploads: Iterable[UploadedFile],
    *,
    kept: Iterable[PendingEvidence],
    removing: Iterable[PendingEvidence] = (),
) -> tuple[list[PendingEvidence], list[str]]:
    """Keep ``uploads`` for ``owner``'s form ``token`` beside ``kept``, the files it already
    holds and keeps (as the form read them, scoped to owner and token), after releasing those
    it is ``removing``; returns every file it now holds, and why any upload was refused. Each
    is checked again, as evidence is, so no caller can hold a file the form would refuse."""
    release(removing)
    held = list(kept)
    used = sum(pending.size for pending in held)
    refused: list[str] = []
    for upload in uploads:
        try:
            kind = check_evidence_file(upload)
            check_room(upload, used)
        except ValidationError as error:
            refused.extend(error.messages)
            continue
        pending = PendingEvidence(
            owner=owner,
            token=token,
            original_name=(upload.name or "file")[:255],
            content_type=kind.content_type,
            size=upload.size,
        )
        # A file stored by a request that dies before its row is saved is one no row names:
        # the sweep removes it.
        pending.file.save(pending.original_name, upload, save=False)
        pending.save()
        held.append(pending)
        used += upload.size
    return held, refused


def release(pending: Iterable[PendingEvidence]) -> None:
    """Forget held files (removed by their owner, or made evidence): their rows now, their
    files once that commits."""
    for each in pending:
        name, storage = each.file.name, each.file.storage
        each.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def remove_held_files_of(erasure: Erasure) -> None:
    """An account's deletion: the files held for its forms go once it commits."""
    names = PendingEvidence.objects.for_user(erasure.user).values_list("file", flat=True)
    erasure.remove_files(PendingEvidence.file.field.storage, names)
