"""Views for imports: start one, watch it stage, review (tick, untick, edit), confirm or discard.
Thin: every read goes through for_user(), so someone else's import is simply not found."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.id_fields import is_storable_id
from core.rate_limits import count_request
from core.upload_limits import declared_too_large

from .forms import ImportForm, StagedEntryForm
from .importers.base import ImportRejected, upload_limit
from .models import ImportBatch
from .staging import (
    choose_all,
    choose_entries,
    confirm_import,
    discard_import,
    import_counts,
    retry_import,
    start_import,
)

REVIEW_PAGE_SIZE = 50


def import_list(request: HttpRequest) -> HttpResponse:
    problem = ""
    if request.method == "POST" and declared_too_large(request, upload_limit()):
        form = ImportForm()
        problem = (
            f"That file is larger than {filesizeformat(upload_limit())}, the most we can import "
            "at once. For an X or Mastodon archive, upload just the file the import needs."
        )
    else:
        form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["feed_url"]:
            # Each makes the server fetch whatever address was typed.
            count_request(request, "feed-import", key="user", doing="importing feeds by address")
        try:
            batch = start_import(
                request.user,
                source=data["source"],
                upload=data["file"],
                feed_url=data["feed_url"],
                own_feed=data["own_feed"],
            )
        except ImportRejected as rejected:
            form.add_error("file", str(rejected))
        else:
            return redirect(batch)
    batches = ImportBatch.objects.for_user(request.user).only(
        "source",
        "original_name",
        "feed_url",
        "state",
        "rejection",
        "created_at",
        "confirmed_at",
        "proposed_count",
        "created_count",
    )[:50]
    status = 413 if problem else 200
    return render(
        request,
        "imports/list.html",
        {"form": form, "problem": problem, "batches": batches},
        status=status,
    )


def _owned_batch(request: HttpRequest, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.for_user(request.user), pk=pk)


def _review_context(request: HttpRequest, batch: ImportBatch) -> dict:
    if batch.is_pending:
        return {"batch": batch}
    if batch.is_reviewable:
        entries = batch.entries.prefetch_related("attachments")
    elif batch.confirmed_at:
        entries = batch.entries.filter(logged_entry__isnull=False).select_related("logged_entry")
    else:  # rejected or failed: the form again, to try another file
        initial = {"source": batch.source, "own_feed": batch.own_feed, "feed_url": batch.feed_url}
        return {"batch": batch, "form": ImportForm(initial=initial)}
    page = Paginator(entries, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return {"batch": batch, "page": page, "counts": import_counts(batch)}


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _owned_batch(request, pk)
    return render(request, "imports/detail.html", _review_context(request, batch))


@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """What the progress bar polls; once staging ends, the whole page is loaded again."""
    batch = _owned_batch(request, pk)
    response = render(request, "imports/detail.html#status", {"batch": batch})
    response["Cache-Control"] = "no-store"
    if not batch.is_pending:
        response["HX-Refresh"] = "true"
    return response


def _closed(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    messages.warning(request, "This import is no longer open for changes.")
    return redirect(batch)


def _review_page(batch: ImportBatch, page: str) -> str:
    return f"{batch.get_absolute_url()}?page={page}" if page.isdigit() else batch.get_absolute_url()


@require_POST
def import_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves the ticks: of the page shown (as each box changes, with htmx, or with the page's
    button), or of every entry at once."""
    batch = _owned_batch(request, pk)
    if not batch.is_reviewable:
        return _closed(request, batch)
    selected = request.POST.get("select", "page")
    if selected in ("all", "none"):
        choose_all(batch, include=selected == "all")
    else:
        choose_entries(
            batch,
            shown=_ids(request.POST.getlist("shown")),
            ticked=_ids(request.POST.getlist("include")),
        )
    if request.htmx:
        return render(
            request,
            "imports/detail.html#counts",
            {"batch": batch, "counts": import_counts(batch)},
        )
    return redirect(_review_page(batch, request.POST.get("page", "")))


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit() and is_storable_id(value)]


def import_entry_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    batch = _owned_batch(request, pk)
    if not batch.is_reviewable:
        return _closed(request, batch)
    entry = get_object_or_404(batch.entries.importable(), pk=entry_pk)
    form = StagedEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved your changes to “{entry.title}”.")
        page = entry.position // REVIEW_PAGE_SIZE + 1
        return redirect(f"{_review_page(batch, str(page))}#entry-{entry.pk}")
    return render(
        request, "imports/entry_edit.html", {"batch": batch, "entry": entry, "form": form}
    )


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _owned_batch(request, pk)
    try:
        confirmed = confirm_import(batch)
    except ImportRejected as rejected:
        messages.error(request, str(rejected))
        return redirect(batch)
    if not confirmed:
        return _closed(request, batch)
    created = batch.created_count
    messages.success(
        request, f"Imported {created} {'entry' if created == 1 else 'entries'} into your log."
    )
    return redirect(batch)


@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Stage a failed import again; anything else (a second click) just shows the import."""
    batch = _owned_batch(request, pk)
    retry_import(batch)
    return redirect(batch)


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _owned_batch(request, pk)
    if not discard_import(batch):
        return _closed(request, batch)
    messages.success(request, "Discarded the import: nothing from it was kept.")
    return redirect(reverse("imports:list"))
