"""An account export in each private storage: the local folder and the object store
(tests/storage_backends.py). Built as a worker builds it, downloaded through the owner's view,
its hash as recorded, and imported back with its files."""

import hashlib
import io

from django.urls import reverse

from account_data.importing import import_account_export
from portfolio.models import Evidence
from tests.account_data.conftest import export_now


def test_an_export_is_stored_downloaded_and_imported_with_its_files(
    storage_backend,
    rich_account,
    client_for,
    other_practitioner,
    django_capture_on_commit_callbacks,
):
    owner = rich_account.owner
    account_export = export_now(owner, django_capture_on_commit_callbacks)
    assert account_export.file.name in storage_backend.names()
    url = reverse("account_data:download", args=[account_export.pk])

    response = client_for(owner).get(url)

    assert response.status_code == 200
    downloaded = b"".join(response.streaming_content)
    assert hashlib.sha256(downloaded).hexdigest() == account_export.sha256
    assert len(downloaded) == account_export.size
    assert client_for(other_practitioner).get(url).status_code == 404

    result = import_account_export(io.BytesIO(downloaded), email="alex.again@example.org")

    copies = Evidence.objects.for_user(result.user).order_by("original_name")
    originals = Evidence.objects.for_user(owner).order_by("original_name")
    assert result.files == len(originals) == 3
    for copy, original in zip(copies, originals, strict=True):
        assert copy.file.name != original.file.name
        assert copy.file.name in storage_backend.names()
        with copy.file.open("rb") as new, original.file.open("rb") as old:
            assert new.read() == old.read()
