"""The profile's "Download everything": ask for an export, follow it, download it. Thin: every
read goes through for_user(), so someone else's export is simply not found."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.private_files import private_file_response

from .export import export_filename, is_downloadable, request_account_export
from .models import AccountExport


def export_context(account_export: AccountExport | None) -> dict:
    """What the profile's section shows of the latest export (or of none)."""
    return {
        "account_export": account_export,
        "downloadable": account_export is not None
        and is_downloadable(account_export, timezone.now()),
    }


def _owned_export(request: HttpRequest, pk) -> AccountExport:
    return get_object_or_404(AccountExport.objects.for_user(request.user), pk=pk)


@require_POST
def account_export_request(request: HttpRequest) -> HttpResponse:
    request_account_export(request.user)
    return redirect(reverse("accounts:profile") + "#download-everything")


@require_GET
def account_export_status(request: HttpRequest, pk) -> HttpResponse:
    """What the progress bar polls: the owner's export only."""
    account_export = _owned_export(request, pk)
    response = render(
        request, "account_data/_export_section.html#status", export_context(account_export)
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def account_export_download(request: HttpRequest, pk) -> FileResponse:
    account_export = _owned_export(request, pk)
    if not is_downloadable(account_export, timezone.now()):
        raise Http404("This export is not ready, or has expired.")
    return private_file_response(
        account_export.file,
        filename=export_filename(account_export),
        content_type="application/zip",
    )
