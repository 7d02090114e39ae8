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
from packs.building import pack_filename
from packs.models import EvidencePack
from programmes.access import shared_pack_for
from programmes.errors import ActionRefused
from programmes.forms import PackShareForm
from programmes.models import SharedPack
from programmes.shared_packs import pack_sharing, record_download, share_pack, unshare_pack


@require_POST
def pack_share(request: HttpRequest, evidence_pack_id: UUID) -> HttpResponse:
    evidence_pack = get_object_or_404(
        EvidencePack.objects.for_user(request.user), pk=evidence_pack_id
    )
    form = PackShareForm(
        request.POST, memberships=pack_sharing(request.user, evidence_pack).shareable
    )
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["memberships"]))
        return redirect(evidence_pack)
    try:
        share_pack(request.user, evidence_pack, form.chosen)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        cohorts = ", ".join(str(membership.cohort) for membership in form.chosen)
        messages.success(
            request,
            f"Shared with the leaders of {cohorts}. They can download it until "
            f"{timezone.localtime(evidence_pack.expires_at):%-d %B %Y}, unless you stop "
            "sharing it.",
        )
    return redirect(evidence_pack)


@require_POST
def pack_unshare(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(SharedPack.objects.filter(membership__student=request.user), pk=pk)
    share = unshare_pack(request.user, share)
    messages.success(
        request,
        f"You no longer share this pack with {share.membership.cohort}: its leaders cannot "
        "download it from now on.",
    )
    return redirect(share.evidence_pack)


@require_GET
def pack_download(request: HttpRequest, evidence_pack_id: UUID) -> FileResponse:
    share = shared_pack_for(request.user, evidence_pack_id)
    response = private_file_response(
        share.evidence_pack.file,
        filename=pack_filename(share.evidence_pack),
        content_type="application/zip",
    )
    record_download(share, request.user)  # once the file is open: a missing one is no download
    return response
