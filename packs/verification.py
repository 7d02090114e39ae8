"""The public check of an evidence pack: who exported which period and when, and whether a
file is that pack, without revealing anything that is in it."""

from __future__ import annotations

import hmac

from django.core.files.uploadedfile import UploadedFile

from core.models import WorkState

from .building import file_sha256
from .models import EvidencePack

VERIFIABLE_STATES = (WorkState.DONE, WorkState.EXPIRED)


def verifiable_evidence_packs():
    """Packs that were built: a pack that has expired can still be checked, by its hash."""
    return EvidencePack.objects.filter(state__in=VERIFIABLE_STATES)


def exporter_name(evidence_pack: EvidencePack) -> str:
    # Never the email address (what str(user) falls back to): only the name they put on it,
    # as it was when they exported the pack.
    return evidence_pack.exporter_name or "A practitioner who gave no name"


def upload_matches(evidence_pack: EvidencePack, upload: UploadedFile) -> bool:
    upload.seek(0)
    return hmac.compare_digest(file_sha256(upload), evidence_pack.sha256)
