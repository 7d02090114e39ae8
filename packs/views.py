"""Views for reflective summaries, evidence packs and the public verification page. Thin:
every read goes through for_user(), so someone else's summary or pack is simply not found."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.private_files import private_file_response
from core.upload_limits import declared_too_large

from .exports import export_entries, is_downloadable, pack_filename, request_export
from .forms import ExportForm, VerifyForm
from .models import ExportRequest
from .verification import exporter_name, upload_matches, verifiable_exports

RENEWAL_SHEET_PAGE_SIZE = 20


# --- Evidence packs ------------------------------------------------------------------------


def export_list(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None, today=timezone.localdate(), owner=request.user)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["include"] == "selection":
            export = request_export(request.user, selection=list(form.cleaned_data["entries"]))
        else:
            export = request_export(request.user, period=form.cleaned_data["chosen_period"])
        return redirect(export)
    exports = ExportRequest.objects.for_user(request.user)
    return render(
        request,
        "packs/list.html",
        {"form": form, "exports": exports, "now": timezone.now()},
    )


def _owned_export(request: HttpRequest, pk) -> ExportRequest:
    return get_object_or_404(ExportRequest.objects.for_user(request.user), pk=pk)


def _export_context(export: ExportRequest) -> dict:
    return {
        "export": export,
        "period": export.period,
        "downloadable": is_downloadable(export, timezone.now()),
    }


def export_detail(request: HttpRequest, pk) -> HttpResponse:
    export = _owned_export(request, pk)
    return render(request, "packs/detail.html", _export_context(export))


@require_GET
def export_status(request: HttpRequest, pk) -> HttpResponse:
    """What the progress bar polls: the owner's pack only, never a bare task id."""
    export = _owned_export(request, pk)
    response = render(request, "packs/detail.html#status", _export_context(export))
    response["Cache-Control"] = "no-store"
    return response


def export_download(request: HttpRequest, pk) -> FileResponse:
    export = _owned_export(request, pk)
    if not is_downloadable(export, timezone.now()):
        raise Http404("This pack is not ready, or has expired.")
    return private_file_response(
        export.file, filename=pack_filename(export), content_type="application/zip"
    )


def renewal_sheet(request: HttpRequest, pk) -> HttpResponse:
    export = _owned_export(request, pk)
    entries = Paginator(export_entries(export), RENEWAL_SHEET_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "packs/renewal_sheet.html",
        {**_export_context(export), "entries": entries},
    )


# --- Public verification -------------------------------------------------------------------


@login_not_required
def verify_export(request: HttpRequest, pk) -> HttpResponse:
    """Public: says who exported which period and when, and whether a file is that pack."""
    export = get_object_or_404(verifiable_exports(), pk=pk)
    form, matches = VerifyForm(), None
    if request.method == "POST":
        if declared_too_large(request, settings.VERIFY_UPLOAD_MAX_BYTES):
            return HttpResponse("That file is too large to check here.", status=413)
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            matches = upload_matches(export, form.cleaned_data["file"])
    response = render(
        request,
        "packs/verify.html",
        {
            "export": export,
            "exporter": exporter_name(export),
            "period": export.period,
            "form": form,
            "matches": matches,
        },
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
