"""Views for reflective summaries, evidence packs and the public verification page. Thin:
every read goes through for_user(), so someone else's summary or pack is simply not found."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.fragments import Fragments
from core.htmx import partial_when_polled
from core.models import WorkState

from .forms import PeriodForm, SummaryTextForm
from .models import ReflectiveSummary
from .summaries import request_summary, retry_summary, save_summary_text

# --- Reflective summaries ------------------------------------------------------------------


def summary_list(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST or None, today=timezone.localdate(), owner=request.user)
    if request.method == "POST" and form.is_valid():
        summary, created = request_summary(request.user, form.cleaned_data["chosen_period"])
        if not created:
            messages.info(request, "Nothing has changed since this version, so here it is again.")
        return redirect(summary)
    summaries = ReflectiveSummary.objects.for_user(request.user).only(
        "period_start", "period_end", "version", "state", "created_at", "edited_at"
    )
    # The form, the same for every visit of the day, is cached; the list below it follows
    # the worker and is read each time.
    fragments = Fragments.of(request, timezone.localdate(), posts=True)
    return render(
        request,
        "summaries/list.html",
        {"form": form, "summaries": summaries, "fragments": fragments},
    )


def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = get_object_or_404(ReflectiveSummary.objects.for_user(request.user), pk=pk)
    versions = (
        ReflectiveSummary.objects.for_user(request.user)
        .filter(period_start=summary.period_start, period_end=summary.period_end)
        .only("version", "state", "created_at", "edited_at")
    )
    response = render(
        request,
        partial_when_polled(request, "summaries/detail.html"),
        {
            "summary": summary,
            "period": summary.period,
            "versions": versions,
        },
    )
    if request.htmx and not summary.is_pending:
        response["HX-Refresh"] = "true"  # generated: show the whole summary
    return response


@require_POST
def summary_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a failed summary again; anything else (a second click) just shows the summary."""
    summary = get_object_or_404(ReflectiveSummary.objects.for_user(request.user), pk=pk)
    retry_summary(summary)
    return redirect(summary)


def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    summary = get_object_or_404(
        ReflectiveSummary.objects.for_user(request.user).filter(state=WorkState.DONE), pk=pk
    )
    form = SummaryTextForm(request.POST or None, instance=summary)
    if request.method == "POST" and form.is_valid():
        save_summary_text(summary, form.cleaned_data["text"])
        messages.success(request, f"Saved version {summary.version} of your summary.")
        return redirect(summary)
    return render(request, "summaries/edit.html", {"summary": summary, "form": form})
