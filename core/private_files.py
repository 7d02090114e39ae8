"""Serving a file from private storage to the one user a view has already allowed.

Streamed through the view from whichever storage holds it (the local folder or the object
store), never handed out as a presigned URL: the response keeps the headers set here and by
the view (Content-Disposition with the name the owner gave it, a sandboxing CSP, no caching),
and no address that works without the owner's session ever leaves the portal."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(
    stored: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """A download of ``stored`` that no shared cache keeps and no browser runs as a page."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response
