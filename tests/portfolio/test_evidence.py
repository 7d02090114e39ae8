import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portfolio.evidence import check_evidence_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("reflection.pdf", PDF, "application/pdf"),
        ("Certificate.PNG", PNG, "image/png"),
        (
            "notes.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepts_files_whose_content_matches_their_name(name, content, content_type):
    assert check_evidence_file(SimpleUploadedFile(name, content)).content_type == content_type


def test_refuses_a_file_over_the_limit_and_says_how_big(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as error:
        check_evidence_file(upload)
    assert "big.pdf is 2.0\xa0KB; the limit is 1.0\xa0KB" in error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.pdf", PNG, "named as a PDF but its content looks like a .png file"),
        ("report.pdf", b"just some text pretending", "is not one we recognise"),
        ("notes.docx", PDF, "named as a Word document but its content looks like a .pdf"),
        ("run-me.exe", b"MZ\x90\x00", "not a file type we keep"),
        ("page.html", b"<script>alert(1)</script>", "not a file type we keep"),
    ],
)
def test_refuses_mistyped_files_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        check_evidence_file(SimpleUploadedFile(name, content))
    assert message in error.value.messages[0]
    assert name in error.value.messages[0]
