"""An import in each private storage: the local folder and the object store
(tests/storage_backends.py). The upload is kept until it is staged, its attachment is staged
beside it, and confirming turns the attachment into evidence and removes what was staged."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportBatch, StagedAttachment
from imports.staging import confirm_import, stage_import
from portfolio.models import Evidence
from tests.imports.test_leap2a import PDF_BYTES, mahara_zip


def test_an_upload_and_its_attachment_are_staged_then_confirmed_as_evidence(
    storage_backend, practitioner, client_for, django_capture_on_commit_callbacks
):
    client = client_for(practitioner)
    upload = SimpleUploadedFile("mahara-export.zip", mahara_zip().getvalue())
    with django_capture_on_commit_callbacks():  # staged below, as the worker would
        client.post(reverse("imports:list"), {"source": "leap2a", "file": upload})
    batch = ImportBatch.objects.for_user(practitioner).get()
    assert storage_backend.names() == [batch.file.name]
    assert batch.file.name.startswith(f"imports/{practitioner.pk}/")

    with django_capture_on_commit_callbacks(execute=True):
        assert stage_import(batch.pk, last_try=True)

    batch.refresh_from_db()
    staged = StagedAttachment.objects.get(entry__batch=batch)
    assert batch.file.name == ""
    assert storage_backend.names() == [staged.file.name]
    assert staged.file.name.startswith(f"imports/{practitioner.pk}/files/")

    with django_capture_on_commit_callbacks(execute=True):
        assert confirm_import(batch)

    evidence = Evidence.objects.for_user(practitioner).get()
    assert evidence.original_name == "court-skills-handout.pdf"
    assert storage_backend.names() == [evidence.file.name]
    download = client.get(reverse("portfolio:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
