"""The public check of an evidence pack: who exported which period and when, and whether a
file someone holds is that pack, or one of the files in it (the PDF alone, say), without
revealing anything that is in it.

An upload is hashed once and looked up by its SHA-256: against the pack's own hash, then in
the pack's recorded files (PackFile, indexed by hash), never by opening any pack. Packs built
before files were recorded have their manifest read from the stored ZIP the first time one
is checked (once: the rows then exist); one whose ZIP had already expired can be checked as
a whole only, and the page says so.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from core.models import WorkState

from .building import file_sha256, record_pack_files
from .models import EvidencePack, PackFile

logger = logging.getLogger(__name__)

VERIFIABLE_STATES = (WorkState.DONE, WorkState.EXPIRED)
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 64 * 1024 * 1024  # a manifest lists paths and hashes: far below this


def verifiable_evidence_packs():
    """Packs that were built: a pack that has expired can still be checked, by its hash."""
    return EvidencePack.objects.filter(state__in=VERIFIABLE_STATES)


def exporter_name(evidence_pack: EvidencePack) -> str:
    # Never the email address (what str(user) falls back to): only the name they put on it,
    # as it was when they exported the pack.
    return evidence_pack.exporter_name or "A practitioner who gave no name"


@dataclass(frozen=True)
class Verification:
    """What an uploaded file is, as far as this pack knows."""

    whole_pack: bool  # the ZIP itself
    files: tuple[str, ...]  # the files in the pack with exactly its content, by path
    files_known: bool  # False: built before files were recorded, and its ZIP has gone

    @property
    def matches(self) -> bool:
        return self.whole_pack or bool(self.files)


def verify_upload(evidence_pack: EvidencePack, upload: UploadedFile) -> Verification:
    upload.seek(0)
    digest = file_sha256(upload)
    if hmac.compare_digest(digest, evidence_pack.sha256):
        return Verification(whole_pack=True, files=(), files_known=True)
    files_known = _files_recorded(evidence_pack)
    paths = PackFile.objects.filter(evidence_pack=evidence_pack, sha256=digest).order_by("path")
    return Verification(
        whole_pack=False,
        files=tuple(paths.values_list("path", flat=True)),
        files_known=files_known,
    )


def _files_recorded(evidence_pack: EvidencePack) -> bool:
    if evidence_pack.files.exists():
        return True
    return record_files_from_stored_pack(evidence_pack)


def record_files_from_stored_pack(evidence_pack: EvidencePack) -> bool:
    """Record the files of a pack built before files were recorded, from the manifest in its
    stored ZIP (and the manifest's own hash); False when that ZIP is gone or unreadable."""
    if evidence_pack.state != WorkState.DONE or not evidence_pack.file:
        return False
    try:
        with evidence_pack.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            member = archive.getinfo(MANIFEST)
            if member.file_size > MANIFEST_MAX_BYTES:
                raise ValueError("manifest too large")
            data = archive.read(member)
        files = json.loads(data)["files"]
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        logger.warning("The manifest of pack %s could not be read", evidence_pack.pk, exc_info=True)
        return False
    own = {"path": MANIFEST, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    record_pack_files(evidence_pack.pk, [*files, own])
    return True
