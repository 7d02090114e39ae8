"""Curation: staff keep the library, its lists and events, answer suggestions, import
resources in bulk and look after broken links. Every view here is for staff only."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from .csv_import import CsvFileError, check_rows, import_rows, read_resource_csv
from .curation import (
    NothingToPublish,
    add_to_list,
    move_in_list,
    remove_from_list,
    save_list,
    save_resource,
    set_publication,
)
from .forms import (
    CsvUploadForm,
    CuratedListForm,
    DeclineForm,
    EventForm,
    ListItemForm,
    ResourceForm,
)
from .library import search_resources
from .models import CuratedList, CuratedListItem, Event, Publication, Resource, Suggestion
from .suggestions import AlreadyDecided, approve_suggestion, decline_suggestion
from .tasks import check_resource_link

CURATION_PAGE_SIZE = 50
IMPORT_SESSION_KEY = "resources:csv_import"


def curator_required(view):
    """Staff only: anyone else signed in is refused (a visitor never gets this far: the
    LoginRequiredMiddleware sends them to log in)."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied("Curation is for the library's curators.")
        return view(request, *args, **kwargs)

    return checked


def _publication_from(request: HttpRequest) -> str | None:
    """The status a curator asked for: published or retired (a draft is only where a new list
    starts)."""
    status = request.POST.get("status")
    return status if status in (Publication.PUBLISHED, Publication.RETIRED) else None


@curator_required
def curation_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/curation/home.html",
        {
            "pending_count": Suggestion.objects.for_curator(request.user).pending().count(),
            "broken_count": Resource.objects.published().with_broken_links().count(),
            "resource_count": Resource.objects.published().count(),
            "list_count": CuratedList.objects.published().count(),
            "event_count": Event.objects.published().count(),
        },
    )


# --- Resources ------------------------------------------------------------------------------


@curator_required
def resources(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    found = search_resources(Resource.objects.all(), text) if text else Resource.objects.all()
    page = Paginator(found, CURATION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "resources/curation/resources.html", {"page": page, "q": text})


def _resource_page(request: HttpRequest, resource: Resource | None) -> HttpResponse:
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        saved = save_resource(
            form.save(commit=False),
            capabilities=form.cleaned_data["capabilities"],
            tag_names=form.cleaned_data["tag_names"],
        )
        messages.success(request, f"Saved “{saved.title}”.")
        return redirect("resources:curation_resources")
    return render(
        request, "resources/curation/resource_form.html", {"form": form, "resource": resource}
    )


@curator_required
def resource_create(request: HttpRequest) -> HttpResponse:
    return _resource_page(request, None)


@curator_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _resource_page(request, get_object_or_404(Resource, pk=pk))


@curator_required
@require_POST
def resource_publication(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    status = _publication_from(request)
    if status is None:
        return HttpResponseBadRequest("Unknown status.")
    set_publication(resource, status)
    if request.htmx:
        return render(request, "resources/curation/_resource_row.html", {"resource": resource})
    messages.success(request, f"“{resource.title}” is {resource.get_status_display().lower()}.")
    return redirect("resources:curation_resources")


# --- Curated lists --------------------------------------------------------------------------


@curator_required
def lists(request: HttpRequest) -> HttpResponse:
    curated_lists = CuratedList.objects.annotate(item_count=Count("items"))
    return render(request, "resources/curation/lists.html", {"lists": curated_lists})


@curator_required
def list_create(request: HttpRequest) -> HttpResponse:
    form = CuratedListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        curated_list = save_list(form.save(commit=False))
        messages.success(
            request,
            f"Created “{curated_list.title}”, not published yet: add resources to it, "
            "then publish it.",
        )
        return redirect("resources:curation_list_edit", curated_list.pk)
    return render(request, "resources/curation/list_form.html", {"form": form})


def _list_items(curated_list: CuratedList):
    return curated_list.items.select_related("resource")


@curator_required
def list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, pk=pk)
    form = CuratedListForm(request.POST or None, instance=curated_list)
    if request.method == "POST" and form.is_valid():
        save_list(form.save(commit=False))
        messages.success(request, f"Saved “{curated_list.title}”.")
        return redirect("resources:curation_list_edit", curated_list.pk)
    return render(
        request,
        "resources/curation/list_form.html",
        {
            "form": form,
            "curated_list": curated_list,
            "items": _list_items(curated_list),
            "item_form": ListItemForm(curated_list=curated_list),
        },
    )


def _items_response(request: HttpRequest, curated_list: CuratedList, **context) -> HttpResponse:
    """The list's items after a change: the fragment for htmx, else back to the list."""
    if request.htmx:
        return render(
            request,
            "resources/curation/list_form.html#items",
            {
                "curated_list": curated_list,
                "items": _list_items(curated_list),
                "item_form": ListItemForm(curated_list=curated_list),
                **context,
            },
        )
    return redirect("resources:curation_list_edit", curated_list.pk)


@curator_required
@require_POST
def list_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, pk=pk)
    form = ListItemForm(request.POST, curated_list=curated_list)
    if not form.is_valid():
        if request.htmx:
            return _items_response(request, curated_list, item_form=form)
        messages.error(request, "Choose a resource that is not on the list yet.")
        return redirect("resources:curation_list_edit", curated_list.pk)
    add_to_list(curated_list, form.cleaned_data["resource"], form.cleaned_data["note"])
    return _items_response(request, curated_list)


@curator_required
@require_POST
def list_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(CuratedListItem.objects.select_related("curated_list"), pk=pk)
    offsets = {"up": -1, "down": 1}
    if request.POST.get("direction") not in offsets:
        return HttpResponseBadRequest("Move up or down.")
    move_in_list(item, offsets[request.POST["direction"]])
    return _items_response(request, item.curated_list)


@curator_required
@require_POST
def list_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(CuratedListItem.objects.select_related("curated_list"), pk=pk)
    remove_from_list(item)
    return _items_response(request, item.curated_list)


@curator_required
@require_POST
def list_publication(request: HttpRequest, pk: int) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, pk=pk)
    status = _publication_from(request)
    if status is None:
        return HttpResponseBadRequest("Unknown status.")
    try:
        set_publication(curated_list, status)
    except NothingToPublish as refusal:
        messages.error(request, str(refusal))
        return redirect("resources:curation_list_edit", curated_list.pk)
    messages.success(
        request, f"“{curated_list.title}” is {curated_list.get_status_display().lower()}."
    )
    return redirect("resources:curation_lists")


# --- Events ---------------------------------------------------------------------------------


@curator_required
def events(request: HttpRequest) -> HttpResponse:
    return render(request, "resources/curation/events.html", {"events": Event.objects.all()})


def _event_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Saved “{saved.title}”.")
        return redirect("resources:curation_events")
    return render(request, "resources/curation/event_form.html", {"form": form, "event": event})


@curator_required
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_page(request, None)


@curator_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, get_object_or_404(Event, pk=pk))


@curator_required
@require_POST
def event_publication(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    status = _publication_from(request)
    if status is None:
        return HttpResponseBadRequest("Unknown status.")
    set_publication(event, status)
    messages.success(request, f"“{event.title}” is {event.get_status_display().lower()}.")
    return redirect("resources:curation_events")


# --- Suggestions ----------------------------------------------------------------------------


@curator_required
def suggestions(request: HttpRequest) -> HttpResponse:
    visible = Suggestion.objects.for_curator(request.user).select_related("owner", "resource")
    return render(
        request,
        "resources/curation/suggestions.html",
        {
            "pending": visible.pending().order_by("created_at", "pk"),
            "decided": visible.exclude(status="pending").order_by("-decided_at", "-pk")[:20],
            "decline_form": DeclineForm(),
        },
    )


@curator_required
def suggestion_approve(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.for_curator(request.user).pending(), pk=pk)
    form = ResourceForm(
        request.POST or None,
        initial={"url": suggestion.url, "title": suggestion.title, "summary": suggestion.reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = approve_suggestion(
                suggestion,
                form.save(commit=False),
                request.user,
                capabilities=form.cleaned_data["capabilities"],
                tag_names=form.cleaned_data["tag_names"],
            )
        except AlreadyDecided:
            messages.error(request, "Someone else has already decided on that suggestion.")
            return redirect("resources:curation_suggestions")
        messages.success(request, f"Added “{resource.title}” to the library.")
        return redirect("resources:curation_suggestions")
    return render(
        request,
        "resources/curation/suggestion_approve.html",
        {"form": form, "suggestion": suggestion},
    )


@curator_required
@require_POST
def suggestion_decline(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.for_curator(request.user), pk=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            suggestion = decline_suggestion(
                suggestion, request.user, form.cleaned_data["decline_reason"]
            )
        except AlreadyDecided:
            suggestion.refresh_from_db()
    if request.htmx:
        return render(
            request,
            "resources/curation/_suggestion.html",
            {"suggestion": suggestion, "decline_form": form},
        )
    if form.errors:
        messages.error(request, "Say why the suggestion is declined: its author will read it.")
    return redirect("resources:curation_suggestions")


# --- Importing from CSV ---------------------------------------------------------------------


@curator_required
def resource_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV and see what it would add, row by row; nothing is saved yet. The rows
    wait in the session for the curator to confirm."""
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        try:
            values = read_resource_csv(form.cleaned_data["file"])
        except CsvFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[IMPORT_SESSION_KEY] = values
            rows = check_rows(values)
    return render(
        request,
        "resources/curation/import.html",
        {"form": form, "rows": rows, "has_errors": rows and any(r.errors for r in rows)},
    )


@curator_required
@require_POST
def resource_import_confirm(request: HttpRequest) -> HttpResponse:
    values = request.session.get(IMPORT_SESSION_KEY)
    if not values:
        messages.error(request, "Nothing is waiting to be imported: upload the file again.")
        return redirect("resources:curation_import")
    # Checked again: the library may have changed since the preview.
    rows = check_rows(values)
    if any(row.errors for row in rows):
        return render(
            request,
            "resources/curation/import.html",
            {"form": CsvUploadForm(), "rows": rows, "has_errors": True},
        )
    try:
        imported = import_rows(rows)
    except IntegrityError:
        messages.error(
            request, "A link in the file was added meanwhile; nothing was imported. Try again."
        )
        return redirect("resources:curation_import")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, f"Imported {len(imported)} resource{pluralize(len(imported))}.")
    return redirect("resources:curation_resources")


# --- Broken links ---------------------------------------------------------------------------


@curator_required
def broken_links(request: HttpRequest) -> HttpResponse:
    broken = Resource.objects.published().with_broken_links().order_by("-link_failures", "pk")
    return render(
        request,
        "resources/curation/broken_links.html",
        {"resources": broken, "threshold": settings.LINK_CHECK_FAILURES_BEFORE_BROKEN},
    )


@curator_required
@require_POST
def link_check_again(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.published(), pk=pk)
    transaction.on_commit(lambda: check_resource_link.delay(resource.pk))
    messages.info(request, f"Checking “{resource.title}” again: reload in a minute.")
    return redirect(reverse("resources:curation_broken_links"))
