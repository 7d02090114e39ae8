"""Quick capture (/capture/), its offline sync, and the installable web app's manifest and
service worker."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from portfolio.models import Activity

from .forms import QuickCaptureForm
from .quick_capture import bookmarklet, capture_draft
from .web_app import offline_cache_version, offline_static_urls, web_app_manifest

REFLECT_LATER = "Add your reflection when you have a moment: your dashboard keeps a list of drafts."


def _captured(request: HttpRequest, form: QuickCaptureForm) -> tuple[Activity, bool]:
    return capture_draft(request.user, form.cleaned_data["client_id"], form.capture)


def capture(request: HttpRequest) -> HttpResponse:
    """The quick-capture page. Without JavaScript its form posts here; with it, captures wait in
    the browser and go to ``capture_sync``."""
    form = QuickCaptureForm(request.POST or None, initial={"client_id": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        draft, created = _captured(request, form)
        saved = "Saved" if created else "Already saved"
        messages.success(request, f"{saved} “{draft.title}” as a draft. {REFLECT_LATER}")
        return redirect("capture:capture")
    capture_link = request.build_absolute_uri(reverse("capture:link"))
    return render(
        request,
        "capture/capture.html",
        {"form": form, "capture_link": capture_link, "bookmarklet": bookmarklet(capture_link)},
    )


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _form_data(payload: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The payload's values as the form reads them (text; numbers written out; null for
    nothing) and errors for values that are neither."""
    data: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name in QuickCaptureForm.base_fields:
        value = payload.get(name)
        if value is None:
            continue
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            data[name] = str(value)
        else:
            errors[name] = ["Send this as text."]
    return data, errors


@login_not_required  # it answers an expired session itself, in JSON
@require_POST
def capture_sync(request: HttpRequest) -> JsonResponse:
    """One capture from the browser, as JSON: 201 with the new draft, 200 when this capture
    (its ``client_id``) was already received, 400 with the errors to show beside it. Answers
    in JSON even when the session has ended, so the page can say so instead of following a
    redirect to the login page."""
    if not request.user.is_authenticated:
        return _json_error("Log in to send your saved drafts.", 401)
    if request.content_type != "application/json":
        return _json_error("Send the capture as JSON (Content-Type: application/json).", 415)
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _json_error("The capture could not be read: it is not valid JSON.", 400)
    if not isinstance(payload, dict):
        return _json_error("Send the capture as one JSON object of its fields.", 400)
    # A page saved for offline use may have been opened by whoever used the device before:
    # its captures go only to the account that made them.
    if payload.get("account") not in (None, request.user.pk):
        return _json_error(
            "This was saved on this device by another account: log in as that account to send it.",
            409,
        )
    data, errors = _form_data(payload)
    form = QuickCaptureForm(data)
    if errors or not form.is_valid():
        field_errors = {name: list(problems) for name, problems in form.errors.items()}
        return JsonResponse({"errors": {**field_errors, **errors}}, status=400)
    draft, created = _captured(request, form)
    return JsonResponse(
        {
            "id": draft.pk,
            "title": draft.title,
            "url": request.build_absolute_uri(draft.get_absolute_url()),
            "reflect_url": reverse("portfolio:activity_edit", args=[draft.pk]),
            "created": created,
        },
        status=201 if created else 200,
    )


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        web_app_manifest(start_url=reverse("capture:capture"), share_url=reverse("capture:link")),
        content_type="application/manifest+json",
    )


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so that its scope covers every page it
    serves offline; never cached by the browser, so a new version is seen straight away."""
    response = render(
        request,
        "capture/sw.js",
        {
            "cache_version": offline_cache_version(),
            "capture_url": reverse("capture:capture"),
            "shared_link_url": reverse("capture:link"),
            "logout_url": reverse("account_logout"),
            "static_urls": offline_static_urls(),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
