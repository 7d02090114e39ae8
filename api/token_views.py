"""The pages where a signed-in user (any role) makes, lists and revokes API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from core.rate_limits import rate_limited

from .forms import AccessTokenForm
from .models import AccessToken
from .tokens import create_token, revoke_token


def token_list(request: HttpRequest) -> HttpResponse:
    tokens = AccessToken.objects.for_user(request.user)
    return render(request, "api/token_list.html", {"tokens": tokens})


@never_cache  # the one response that holds the secret must not be kept anywhere
@rate_limited("token-creation", key="user", doing="creating API tokens")
def token_create(request: HttpRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = create_token(
            request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
        )
        return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/token_form.html", {"form": form})


def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        revoke_token(token)
        messages.success(request, f"Revoked “{token.name}”: it no longer works.")
        return redirect("tokens:list")
    return render(request, "api/token_confirm_revoke.html", {"token": token})
