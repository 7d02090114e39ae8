"""Evidence files in each private storage: the local folder and the object store
(tests/storage_backends.py). Stored through the entry form, downloaded through the
owner-checked view, refused the same way on both."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 4096
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
NEW = reverse("portfolio:entry_create")


def draft_with(*uploads) -> dict:
    return {
        "title": "Supervision notes",
        "activity_type": "reading",
        "occurred_on": "2020-01-01",
        "action": "draft",
        "evidence": list(uploads),
    }


def test_evidence_is_stored_and_downloads_only_to_its_owner(
    storage_backend, practitioner, other_practitioner, client_for
):
    owner = client_for(practitioner)

    response = owner.post(NEW, draft_with(SimpleUploadedFile("supervision notes.pdf", PDF)))

    assert response.status_code == 302, response.context["form"].errors
    evidence = Evidence.objects.get()
    assert storage_backend.names() == [evidence.file.name]
    assert evidence.file.name.startswith(f"evidence/{practitioner.pk}/")
    url = reverse("portfolio:evidence_download", args=[evidence.pk])
    download = owner.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="supervision notes.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert "sandbox" in download["Content-Security-Policy"]
    assert client_for(other_practitioner).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.pdf", PNG, "named as a PDF but its content looks like"),
        ("big.pdf", PDF + b"x" * 2048, "the limit is"),
    ],
)
def test_a_refused_file_is_not_stored(
    storage_backend, practitioner, client_for, settings, name, content, message
):
    settings.EVIDENCE_MAX_BYTES = len(PDF) + 1024
    upload = SimpleUploadedFile(name, content)

    response = client_for(practitioner).post(NEW, draft_with(upload))

    assert any(message in error for error in response.context["form"].errors["evidence"])
    assert storage_backend.names() == []


def test_a_file_missing_from_storage_answers_404(storage_backend, practitioner, client_for):
    client = client_for(practitioner)
    client.post(NEW, draft_with(SimpleUploadedFile("notes.pdf", PDF)))
    evidence = Evidence.objects.get()
    evidence.file.storage.delete(evidence.file.name)

    response = client.get(reverse("portfolio:evidence_download", args=[evidence.pk]))

    assert response.status_code == 404
