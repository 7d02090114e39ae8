"""Refusing an upload by the size its request declares, before Django reads the body into a
temporary file."""

from django.http import HttpRequest

# Room for a form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def declared_length(request: HttpRequest) -> int:
    """The body's size as the request declares it. A malformed length is left to Django, which
    reads it as an empty body."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def declared_too_large(request: HttpRequest, limit: int) -> bool:
    """Whether the request says it carries more than a ``limit``-byte file and its form."""
    return declared_length(request) > limit + FORM_OVERHEAD_BYTES
