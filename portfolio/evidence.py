"""What counts as an evidence file, checked by content as well as by name."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class EvidenceKind:
    label: str
    content_type: str
    # What filetype may call a file of this kind. Legacy Office files share one container
    # format, so a .doc that sniffs as .xls is still the container we expected.
    sniffed_as: frozenset[str]


_OLE = frozenset({"doc", "xls", "ppt"})
KINDS: dict[str, EvidenceKind] = {
    ".pdf": EvidenceKind("PDF", "application/pdf", frozenset({"pdf"})),
    ".png": EvidenceKind("PNG image", "image/png", frozenset({"png", "apng"})),
    ".jpg": EvidenceKind("JPEG image", "image/jpeg", frozenset({"jpg"})),
    ".jpeg": EvidenceKind("JPEG image", "image/jpeg", frozenset({"jpg"})),
    ".gif": EvidenceKind("GIF image", "image/gif", frozenset({"gif"})),
    ".webp": EvidenceKind("WebP image", "image/webp", frozenset({"webp"})),
    ".docx": EvidenceKind(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        frozenset({"docx"}),
    ),
    ".xlsx": EvidenceKind(
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({"xlsx"}),
    ),
    ".pptx": EvidenceKind(
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        frozenset({"pptx"}),
    ),
    ".doc": EvidenceKind("Word 97-2003 document", "application/msword", _OLE),
    ".xls": EvidenceKind("Excel 97-2003 workbook", "application/vnd.ms-excel", _OLE),
    ".ppt": EvidenceKind("PowerPoint 97-2003 presentation", "application/vnd.ms-powerpoint", _OLE),
    ".odt": EvidenceKind(
        "OpenDocument text", "application/vnd.oasis.opendocument.text", frozenset({"odt"})
    ),
    ".ods": EvidenceKind(
        "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        frozenset({"ods"}),
    ),
    ".odp": EvidenceKind(
        "OpenDocument presentation",
        "application/vnd.oasis.opendocument.presentation",
        frozenset({"odp"}),
    ),
}
ACCEPT_ATTRIBUTE = ",".join(KINDS)


def too_large_message(what: str, size: int) -> str:
    """What to tell someone whose evidence is over the limit: a file, or what a request
    declares it carries (refused before it is read)."""
    limit = filesizeformat(settings.EVIDENCE_MAX_BYTES)
    return (
        f"{what} is {filesizeformat(size)}; the limit is {limit}. "
        "Try saving a smaller copy, or a PDF of just the pages you need."
    )


def check_evidence_file(upload: UploadedFile) -> EvidenceKind:
    """The kind of an uploaded evidence file, or a ValidationError that names the file and
    says what to do."""
    name = upload.name or "file"
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            f"{name} is not a file type we keep. Upload a PDF, an image (PNG, JPEG, GIF, WebP) "
            "or an Office document (Word, Excel, PowerPoint, OpenDocument)."
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(too_large_message(name, upload.size))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = filetype.guess_extension(head)
    if sniffed not in kind.sniffed_as:
        found = f"looks like a .{sniffed} file" if sniffed else "is not one we recognise"
        raise ValidationError(
            f"{name} is named as a {kind.label} but its content {found}. "
            "Check you chose the right file, or save it again in its real format."
        )
    return kind
