"""Views for reflective summaries, evidence packs and the public verification page. Thin:
every read goes through for_user(), so someone else's summary or pack is simply not found."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.fragments import Fragments
from core.private_files import private_file_response
from core.rate_limits import rate_limited
from core.upload_limits import declared_too_large

from .building import (
    evidence_pack_entries,
    is_downloadable,
    pack_filename,
    request_evidence_pack,
    retry_evidence_pack,
)
from .forms import EvidencePackForm, VerifyForm
from .models import EvidencePack
from .regulator_section import pack_regulator, renewal_entries, with_capabilities
from .verification import exporter_name, verifiable_evidence_packs, verify_upload

RENEWAL_SHEET_PAGE_SIZE = 20


# --- Evidence packs ------------------------------------------------------------------------


def evidence_pack_list(request: HttpRequest) -> HttpResponse:
    form = EvidencePackForm(request.POST or None, today=timezone.localdate(), owner=request.user)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["include"] == "selection":
            evidence_pack = request_evidence_pack(
                request.user, selection=list(form.cleaned_data["entries"])
            )
        else:
            evidence_pack = request_evidence_pack(
                request.user, period=form.cleaned_data["chosen_period"]
            )
        return redirect(evidence_pack)
    evidence_packs = EvidencePack.objects.for_user(request.user)
    return render(
        request,
        "packs/list.html",
        {
            "form": form,
            "evidence_packs": evidence_packs,
            "now": timezone.now(),
            # A long log's checkboxes are sent only to someone choosing: on opening the list
            # (entry_choices, through htmx), without JavaScript by ?choose, and again after
            # an error, so that nothing ticked is lost.
            "choosing": request.method == "POST" or "choose" in request.GET,
            # The form is cached (it counts her entries); the list follows the worker.
            "fragments": Fragments.of(request, timezone.localdate(), posts=True),
        },
    )


@require_GET
def entry_choices(request: HttpRequest) -> HttpResponse:
    form = EvidencePackForm(today=timezone.localdate(), owner=request.user)
    return render(request, "packs/list.html#entry-choices", {"form": form, "choosing": True})


def _owned_evidence_pack(request: HttpRequest, pk) -> EvidencePack:
    return get_object_or_404(EvidencePack.objects.for_user(request.user), pk=pk)


def _evidence_pack_context(evidence_pack: EvidencePack) -> dict:
    return {
        "evidence_pack": evidence_pack,
        "period": evidence_pack.period,
        "downloadable": is_downloadable(evidence_pack, timezone.now()),
        "verify_url": evidence_pack.verify_url(),
    }


def evidence_pack_detail(request: HttpRequest, pk) -> HttpResponse:
    evidence_pack = _owned_evidence_pack(request, pk)
    return render(request, "packs/detail.html", _evidence_pack_context(evidence_pack))


@require_GET
def evidence_pack_status(request: HttpRequest, pk) -> HttpResponse:
    """What the progress bar polls: the owner's pack only, never a bare task id."""
    evidence_pack = _owned_evidence_pack(request, pk)
    response = render(request, "packs/detail.html#status", _evidence_pack_context(evidence_pack))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def evidence_pack_retry(request: HttpRequest, pk) -> HttpResponse:
    """Try a failed pack again; anything else (a second click) just shows the pack."""
    evidence_pack = _owned_evidence_pack(request, pk)
    retry_evidence_pack(evidence_pack)
    return redirect(evidence_pack)


def evidence_pack_download(request: HttpRequest, pk) -> FileResponse:
    evidence_pack = _owned_evidence_pack(request, pk)
    if not is_downloadable(evidence_pack, timezone.now()):
        raise Http404("This pack is not ready, or has expired.")
    return private_file_response(
        evidence_pack.file, filename=pack_filename(evidence_pack), content_type="application/zip"
    )


def renewal_sheet(request: HttpRequest, pk) -> HttpResponse:
    """The pack's entries under the questions of the regulator it was requested under."""
    evidence_pack = _owned_evidence_pack(request, pk)
    entries = evidence_pack_entries(evidence_pack)
    regulator = pack_regulator(evidence_pack, entries, timezone.localdate())
    page = Paginator(with_capabilities(entries), RENEWAL_SHEET_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "packs/renewal_sheet.html",
        {
            **_evidence_pack_context(evidence_pack),
            "entries": page,
            "renewal_entries": renewal_entries(regulator.profile, page),
            "regulator": regulator,
        },
    )


# --- Public verification -------------------------------------------------------------------


@login_not_required
@rate_limited("verify-upload", key="ip", doing="checking files against evidence packs")
def verify_evidence_pack(request: HttpRequest, pk) -> HttpResponse:
    """Public: says who exported which period and when, and whether a file is that pack or
    one of the files in it, and which."""
    evidence_pack = get_object_or_404(verifiable_evidence_packs(), pk=pk)
    form, verification, problem, status = VerifyForm(), None, "", 200
    if request.method == "POST":
        if declared_too_large(request, settings.VERIFY_UPLOAD_MAX_BYTES):
            # Refused before the body is read: the page says why, with the form to try again.
            limit = filesizeformat(settings.VERIFY_UPLOAD_MAX_BYTES)
            problem = f"That file is larger than {limit}, the most this page can check."
            status = 413
        else:
            form = VerifyForm(request.POST, request.FILES)
            if form.is_valid():
                verification = verify_upload(evidence_pack, form.cleaned_data["file"])
    response = render(
        request,
        "packs/verify.html",
        {
            "evidence_pack": evidence_pack,
            "exporter": exporter_name(evidence_pack),
            "period": evidence_pack.period,
            "form": form,
            "verification": verification,
            "problem": problem,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
