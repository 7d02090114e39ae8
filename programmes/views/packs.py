"""Evidence packs shared with programme leaders: the owner shares one or stops sharing it (the
form is on the pack's own page), and a leader downloads it while every condition holds."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.private_files import private_file_response
from packs.exports import pack_filename
from packs.models import ExportRequest
from programmes.access import shared_pack_for
from programmes.errors import ActionRefused
from programmes.forms import PackShareForm
from programmes.models import SharedPack
from programmes.shared_packs import pack_sharing, record_download, share_pack, unshare_pack


@require_POST
def pack_share(request: HttpRequest, export_id: UUID) -> HttpResponse:
    export = get_object_or_404(ExportRequest.objects.for_user(request.user), pk=export_id)
    form = PackShareForm(request.POST, memberships=pack_sharing(request.user, export).shareable)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["memberships"]))
        return redirect(export)
    try:
        share_pack(request.user, export, form.chosen)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        cohorts = ", ".join(str(membership.cohort) for membership in form.chosen)
        messages.success(
            request,
            f"Shared with the leaders of {cohorts}. They can download it until "
            f"{timezone.localtime(export.expires_at):%-d %B %Y}, unless you stop sharing it.",
        )
    return redirect(export)


@require_POST
def pack_unshare(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(SharedPack.objects.filter(membership__student=request.user), pk=pk)
    share = unshare_pack(request.user, share)
    messages.success(
        request,
        f"You no longer share this pack with {share.membership.cohort}: its leaders cannot "
        "download it from now on.",
    )
    return redirect(share.export)


@require_GET
def pack_download(request: HttpRequest, export_id: UUID) -> FileResponse:
    share = shared_pack_for(request.user, export_id)
    response = private_file_response(
        share.export.file, filename=pack_filename(share.export), content_type="application/zip"
    )
    record_download(share, request.user)  # once the file is open: a missing one is no download
    return response
