"""Quick capture (/capture/), its offline sync, and the installable web app's manifest and
service worker."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.rate_limits import TooManyRequests, count_request
from portfolio.models import Entry

from .forms import CaptureCardForm, QuickCaptureForm
from .quick_capture import (
    bookmarklet,
    capture_draft,
    has_provisional_title,
    initial_from_shared_link,
)
from .web_app import offline_cache_version, offline_static_urls, web_app_manifest

REFLECT_LATER = "Add your reflection when you have a moment: your dashboard keeps a list of drafts."


def _count_capture(request: HttpRequest) -> None:
    """Every way of capturing (the page, the card, the sync) shares one limit per user: each
    capture of a bare link also has the server fetch a page."""
    count_request(request, "capture-sync", key="user", doing="sending captures")


def _captured(request: HttpRequest, form: QuickCaptureForm) -> tuple[Entry, bool]:
    return capture_draft(request.user, form.cleaned_data["client_id"], form.capture)


def capture(request: HttpRequest) -> HttpResponse:
    """The quick-capture page. Without JavaScript its form posts here; with it, captures wait in
    the browser and go to ``capture_sync``."""
    form = QuickCaptureForm(
        request.POST or None, owner=request.user, initial={"client_id": uuid.uuid4()}
    )
    if request.method == "POST":
        _count_capture(request)
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


def _full_form_url(values: dict[str, Any]) -> str:
    """The full activity form, started from the same link and title (capture's starting values
    reader fills it in again, type and platform guessed the same way)."""
    shared = {name: values[name] for name in ("url", "title") if values.get(name)}
    query = f"?{urlencode(shared)}" if shared else ""
    return reverse("portfolio:entry_create") + query


def capture_card(request: HttpRequest) -> HttpResponse:
    """Where the bookmarklet and a phone's Share menu arrive (?url=&title=&text=): a card with
    the link, its title and a guessed type, saved as a draft in one tap, and the full form one
    tap away. A link with no title is saved at once and its page's title fetched afterwards."""
    shared = initial_from_shared_link(request.GET)
    form = CaptureCardForm(
        request.POST or None,
        owner=request.user,
        initial={"client_id": uuid.uuid4(), **shared},
    )
    if request.method == "POST":
        _count_capture(request)
    if request.method == "POST" and form.is_valid():
        draft, _ = _captured(request, form)
        return redirect("capture:saved", pk=draft.pk)
    values = form.data if form.is_bound else shared
    return render(
        request,
        "capture/card.html",
        {"form": form, "full_form_url": _full_form_url(values)},
    )


def capture_saved(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft a card has just saved, with the way to add its reflection now."""
    draft = get_object_or_404(Entry.objects.for_user(request.user), pk=pk)
    return render(
        request,
        "capture/saved.html",
        {"draft": draft, "title_pending": has_provisional_title(draft)},
    )


def _text_values(payload: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
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


# What the page shows for a refusal DRF makes before the view runs.
_REFUSALS = {
    exceptions.NotAuthenticated: (401, "Log in to send your saved drafts."),
    exceptions.UnsupportedMediaType: (
        415,
        "Send the capture as JSON (Content-Type: application/json).",
    ),
    exceptions.ParseError: (400, "The capture could not be read: it is not valid JSON."),
}


class CaptureSync(APIView):
    """One capture from the browser, as JSON: 201 with the new draft, 200 when this capture
    (its ``client_id``) was already received, 400 with the errors to show beside it. Uses the
    session (and its CSRF token) only, and answers in JSON even when the session has ended,
    so the page can say so instead of following a redirect to the login page. Its fields are
    read by the quick-capture form, so the page without JavaScript keeps the same rules."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)  # the page's own endpoint, not part of the public API
    def post(self, request: Request) -> Response:
        _count_capture(request)
        payload = request.data
        if not isinstance(payload, dict):
            return Response({"error": "Send the capture as one JSON object of its fields."}, 400)
        # A page saved for offline use may have been opened by whoever used the device
        # before: its captures go only to the account that made them.
        if payload.get("account") not in (None, request.user.pk):
            return Response(
                {
                    "error": "This was saved on this device by another account: log in as "
                    "that account to send it."
                },
                409,
            )
        data, errors = _text_values(payload)
        form = QuickCaptureForm(data, owner=request.user)
        if errors or not form.is_valid():
            field_errors = {name: list(problems) for name, problems in form.errors.items()}
            return Response({"errors": {**field_errors, **errors}}, 400)
        draft, created = _captured(request, form)
        return Response(
            {
                "id": draft.pk,
                "title": draft.title,
                "url": request.build_absolute_uri(draft.get_absolute_url()),
                "reflect_url": reverse("portfolio:entry_edit", args=[draft.pk]),
                "created": created,
            },
            201 if created else 200,
        )

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, TooManyRequests):
            # The page keeps the capture on the device and sends it again later.
            return Response({"error": exc.message}, 429, headers={"Retry-After": exc.retry_after})
        for refusal, (status, message) in _REFUSALS.items():
            if isinstance(exc, refusal):
                return Response({"error": message}, status)
        return super().handle_exception(exc)


# It answers an expired session itself, in JSON.
capture_sync = login_not_required(CaptureSync.as_view())


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
