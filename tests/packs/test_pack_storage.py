"""An evidence pack in each private storage: the local folder and the object store
(tests/storage_backends.py). Built by a real worker from evidence in that storage, downloaded
through the owner's view, its manifest's hashes true and its own hash accepted by /verify/."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from packs.building import evidence_path
from packs.models import EvidencePack
from portfolio.models import Evidence
from tests.packs.conftest import PDF_BYTES, PINNED
from tests.packs.test_worker import wait_for

pytestmark = PINNED

WHOLE_YEAR = {"include": "period", "period": "custom", "start": "2025-12-01", "end": "2026-11-30"}


def whole_pack(data: bytes, evidence_pack: EvidencePack) -> zipfile.ZipFile:
    """The downloaded pack, after checking it is the pack recorded and that every file in it
    is the one its manifest names."""
    assert hashlib.sha256(data).hexdigest() == evidence_pack.sha256
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["files"], "a manifest naming no file checks nothing"
    for listed in manifest["files"]:
        assert hashlib.sha256(archive.read(listed["path"])).hexdigest() == listed["sha256"]
    return archive


def test_a_pack_is_built_by_the_worker_from_stored_evidence_and_downloads_whole(
    storage_backend, celery_worker, practitioner, portfolio, client_for, other_practitioner
):
    client = client_for(practitioner)

    client.post(reverse("packs:list"), WHOLE_YEAR)

    evidence_pack = wait_for(EvidencePack, EvidencePack.objects.for_user(practitioner).get().pk)
    evidence = Evidence.objects.for_user(practitioner).get()
    assert sorted(storage_backend.names()) == sorted([evidence.file.name, evidence_pack.file.name])
    url = reverse("packs:download", args=[evidence_pack.pk])
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    data = b"".join(response.streaming_content)
    assert whole_pack(data, evidence_pack).read(evidence_path(evidence)) == PDF_BYTES
    verified = client.post(
        reverse("packs:verify", args=[evidence_pack.pk]),
        {"file": SimpleUploadedFile("pack.zip", data, "application/zip")},
    )
    assert "It matches." in verified.content.decode()
    assert client_for(other_practitioner).get(url).status_code == 404
