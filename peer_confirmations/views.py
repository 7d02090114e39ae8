"""The owner's actions on her entry's page (ask, withdraw, remove), and the colleague's page,
reached without an account by the emailed link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.rate_limits import rate_limited
from portfolio.models import Entry

from . import requests
from .errors import ConfirmationRefused, LinkUnusable
from .forms import AnswerForm, RequestForm
from .models import PeerConfirmation
from .shown import entry_confirmations


@require_POST
@rate_limited("peer-confirmation-requests", key="user", doing="asking colleagues to confirm")
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.for_user(request.user), pk=pk)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            confirmation = requests.request_confirmation(
                entry, form.cleaned_data["email"], note=form.cleaned_data["note"]
            )
        except ConfirmationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                f"We emailed {confirmation.email} a link to confirm this discussion. It works "
                f"once, until {confirmation.expires_at:%-d %B %Y}.",
            )
            return redirect(entry)
    # Shown again on the entry's page, with what was typed and why it was refused.
    context = {"entry": entry, "request_form": form, "confirmations": entry_confirmations(entry)}
    return render(request, "portfolio/entry_detail.html", context, status=400)


def _own(request: HttpRequest, pk: int) -> PeerConfirmation:
    return get_object_or_404(
        PeerConfirmation.objects.for_user(request.user).select_related("entry"), pk=pk
    )


@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    confirmation = _own(request, pk)
    try:
        requests.withdraw(confirmation)
    except ConfirmationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"Withdrawn: the link sent to {confirmation.email} no longer works."
        )
    return redirect(confirmation.entry)


@require_POST
def answer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    confirmation = _own(request, pk)
    try:
        requests.remove(confirmation)
    except ConfirmationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{confirmation.name}'s answer is no longer shown.")
    return redirect(confirmation.entry)


@login_not_required
@rate_limited("peer-confirmation-answers", key="ip", doing="answering confirmation links")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. Whoever opens it sees the entry's title, date and peer discussion,
    nothing else of the practitioner's, and answers once, giving the address it was sent to."""
    confirmation = requests.find_by_token(token)
    if confirmation is None:
        problem = "This link is not valid. Check that you copied the whole link from the email."
        return render(request, "peer_confirmations/answer.html", {"problem": problem}, status=404)
    if problem := requests.refusal_for_anyone(confirmation):
        return render(request, "peer_confirmations/answer.html", {"problem": problem}, status=410)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and (answer := form.answer()):
        try:
            requests.answer_request(
                confirmation, address=form.cleaned_data["address"], answer=answer
            )
        except LinkUnusable as refusal:
            context = {"problem": str(refusal)}
            return render(request, "peer_confirmations/answer.html", context, status=410)
        except ConfirmationRefused as refusal:
            form.add_error("address", str(refusal))
        else:
            return render(
                request, "peer_confirmations/answered.html", {"corrected": bool(answer.correction)}
            )
    entry = confirmation.entry
    context = {
        "form": form,
        "title": entry.title,
        "occurred_on": entry.occurred_on,
        "peer_learning": entry.peer_learning,
        "expires_at": confirmation.expires_at,
    }
    status = 400 if form.errors else 200
    return render(request, "peer_confirmations/answer.html", context, status=status)
