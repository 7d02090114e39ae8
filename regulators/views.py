"""A practitioner's own regulator: its rules with their sources, her dates, and the statements
it asks her to confirm. Always the signed-in person's own: the URLs name nobody, so there is
nothing of anyone else's to ask for (a leader sees their own regulator, never a student's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .pages import confirmation_states, record_questions, registration_summary
from .registrations import RegistrationRefused, confirm, withdraw_confirmation


def regulator(request: HttpRequest) -> HttpResponse:
    summary = registration_summary(request.user, timezone.localdate())
    context = {
        "registration": summary,
        "confirmations": confirmation_states(request.user, summary),
        "questions": record_questions(summary.profile),
    }
    return render(request, "regulators/regulator.html", context)


@require_POST
def confirm_rule(request: HttpRequest, rule: str) -> HttpResponse:
    try:
        confirmation = confirm(request.user, rule, timezone.localdate())
    except RegistrationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Confirmed for this period: “{confirmation.statement}”")
    return redirect("regulators:regulator")


@require_POST
def withdraw_rule(request: HttpRequest, rule: str) -> HttpResponse:
    if withdraw_confirmation(request.user, rule, timezone.localdate()):
        messages.info(request, "Your confirmation is withdrawn.")
    else:
        messages.info(request, "There was no confirmation to withdraw for this period.")
    return redirect("regulators:regulator")
