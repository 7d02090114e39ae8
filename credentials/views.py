"""The public side of credentials (the JWKS, each key, issuer profiles, achievements, each
credential's page and the verify page: no login) and the student's download."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from core.rate_limits import rate_limited
from core.upload_limits import declared_too_large
from programmes.models import Programme

from . import keys
from .access import own_credential
from .forms import VerifyCredentialForm
from .issuing import CONTEXT, achievement, issuer_profile
from .models import IssuedCredential, SigningKey
from .verification import MAX_CREDENTIAL_BYTES, TOO_LARGE, verify

JSON_LD = "application/ld+json"


def _public_json(data: dict, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(data, content_type=content_type, json_dumps_params={"indent": 2})
    # Verifiers elsewhere fetch these; they hold nothing private.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return _public_json(keys.jwks(), "application/jwk-set+json")


@login_not_required
@require_GET
def key(request: HttpRequest, thumbprint: str) -> JsonResponse:
    return _public_json(
        keys.public_jwk(get_object_or_404(SigningKey, thumbprint=thumbprint)),
        "application/jwk+json",
    )


def _issuing_programme(pk: int) -> Programme:
    """A programme that has issued a credential: only those have a public profile."""
    programme = Programme.objects.filter(
        pk=pk, cohorts__memberships__submissions__sign_off__credential__isnull=False
    ).first()
    if programme is None:
        raise Http404("No programme issues credentials under that number.")
    return programme


@login_not_required
@require_GET
def issuer(request: HttpRequest, pk: int) -> JsonResponse:
    profile = issuer_profile(_issuing_programme(pk))
    return _public_json({"@context": CONTEXT, **profile}, JSON_LD)


@login_not_required
@require_GET
def achievement_detail(request: HttpRequest, pk: int, year: int) -> JsonResponse:
    programme = _issuing_programme(pk)
    if not IssuedCredential.objects.filter(
        signoff__submission__membership__cohort__programme=programme,
        signoff__submission__year=year,
    ).exists():
        raise Http404("The programme has issued no credential for that year.")
    return _public_json({"@context": CONTEXT, **achievement(programme, year)}, JSON_LD)


def _verify_page(request: HttpRequest, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_GET
def credential(request: HttpRequest, pk) -> HttpResponse:
    """The credential's id, and what it asserts now (valid, or revoked)."""
    issued = get_object_or_404(IssuedCredential, pk=pk)
    verdict = verify(issued.compact_jws) if issued.compact_jws else None
    return _verify_page(
        request, "credentials/credential.html", {"issued": issued, "verdict": verdict}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@rate_limited("credential-verify", key="ip", doing="checking credentials")
def verify_credential(request: HttpRequest) -> HttpResponse:
    form, verdict, problem, status = VerifyCredentialForm(), None, "", 200
    if request.method == "POST":
        if declared_too_large(request, MAX_CREDENTIAL_BYTES):
            problem, status = TOO_LARGE, 413
        else:
            form = VerifyCredentialForm(request.POST, request.FILES)
            if form.is_valid():
                verdict = verify(form.cleaned_data["credential"])
            else:
                status = 400
    return _verify_page(
        request,
        "credentials/verify.html",
        {"form": form, "verdict": verdict, "problem": problem},
        status=status,
    )


def _download(body: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def download_jwt(request: HttpRequest, pk: int) -> HttpResponse:
    issued = own_credential(request.user, pk)
    return _download(issued.compact_jws, f"credential-{issued.pk}.jwt", "application/jwt")


@require_GET
def download_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The credential's content, readable: the signed .jwt is what proves it."""
    issued = own_credential(request.user, pk)
    payload = verify(issued.compact_jws).credential or {}
    return _download(
        json.dumps(payload, indent=2, ensure_ascii=False),
        f"credential-{issued.pk}.json",
        "application/json",
    )
