"""The library as practitioners see it: resources, curated lists, their reading list, their
suggestions, and the events calendar. Browsing is open to anyone; what is personal needs a
login."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from core.fragments import LIBRARY, SITE, Fragments
from core.time_zones import viewer_time_zone
from portfolio.models import Capability, Entry

from .events import recent_sessions, session_starting_at, upcoming_events, upcoming_sessions
from .filters import LibraryFilter
from .forms import SuggestionForm
from .ics import events_calendar
from .library import RANKED_MATCHES, CappedCountPaginator, with_card_details, with_saved_flag
from .log_this import draft_from_session
from .models import CuratedList, Event, Publication, ReadingListEntry, Resource, Suggestion
from .reading_list import set_saved

LIBRARY_PAGE_SIZE = 20
# How far past the page asked for the library counts results; past it, "More than 1,000".
LIBRARY_COUNT_LOOK_AHEAD = 1000


def _results_template(request: HttpRequest, template: str) -> str:
    """The page, or only its results when htmx asks for them as the filters change."""
    return f"{template}#results" if request.htmx and not request.htmx.boosted else template


@login_not_required
def resource_list(request: HttpRequest) -> HttpResponse:
    # Invalid filters are reported and left out; the valid ones still apply.
    library = LibraryFilter(request.GET or None, Resource.objects.published(), request=request)

    def requested_page() -> Page:
        return CappedCountPaginator(
            with_card_details(library.qs, request.user),
            LIBRARY_PAGE_SIZE,
            look_ahead=LIBRARY_COUNT_LOOK_AHEAD,
        ).get_page(request.GET.get("page"))

    # Built only when the page's cached fragments are missing (core/fragments.py); the cards'
    # save buttons post, so the fragments are the viewer's own.
    return render(
        request,
        _results_template(request, "resources/resource_list.html"),
        {
            "form": SimpleLazyObject(lambda: library.form),
            "page": SimpleLazyObject(requested_page),
            "searching": SimpleLazyObject(
                lambda: bool(library.is_bound and library.form.cleaned_data.get("q"))
            ),
            "ranked_matches": RANKED_MATCHES,
            "lists": CuratedList.objects.published(),
            "fragments": Fragments.of(
                request,
                timezone.localdate(),
                shows=(SITE, LIBRARY),
                posts=request.user.is_authenticated,
            ),
        },
    )


@login_not_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(Resource.objects.values_list("title", flat=True), pk=pk)
    resource = SimpleLazyObject(  # read only when the page's cached fragment is missing
        lambda: (
            with_saved_flag(Resource.objects.all(), request.user)
            .prefetch_related(
                Prefetch("capabilities", queryset=Capability.objects.select_related("framework")),
                "tags",
            )
            .get(pk=pk)
        )
    )
    return render(
        request,
        "resources/resource_detail.html",
        {
            "title": title,
            "resource": resource,
            "my_entries": Entry.objects.for_user(request.user).filter(resource=pk),
            "lists": CuratedList.objects.published().filter(resources=pk),
            "fragments": Fragments.of(
                request,
                timezone.localdate(),
                shows=(SITE, LIBRARY),
                posts=request.user.is_authenticated,
            ),
        },
    )


@require_POST
def resource_save(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.published(), pk=pk)
    saved = set_saved(request.user, resource, request.POST.get("saved") == "1")
    if request.htmx:
        return render(
            request, "resources/_save_button.html", {"resource": resource, "saved": saved}
        )
    messages.success(
        request,
        f"Saved “{resource.title}” to your reading list."
        if saved
        else f"Removed “{resource.title}” from your reading list.",
    )
    return redirect(resource)


def reading_list(request: HttpRequest) -> HttpResponse:
    entries = ReadingListEntry.objects.for_user(request.user).prefetch_related(
        Prefetch("resource", queryset=with_card_details(Resource.objects.all(), request.user))
    )
    return render(request, "resources/reading_list.html", {"entries": entries})


@login_not_required
def list_index(request: HttpRequest) -> HttpResponse:
    lists = CuratedList.objects.published().annotate(
        resource_count=Count("items", filter=Q(items__resource__status=Publication.PUBLISHED))
    )
    return render(request, "resources/list_index.html", {"lists": lists})


@login_not_required
def list_detail(request: HttpRequest, slug: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList.objects.published(), slug=slug)
    items = curated_list.items.filter(resource__status=Publication.PUBLISHED).prefetch_related(
        Prefetch("resource", queryset=with_card_details(Resource.objects.all(), request.user))
    )
    return render(
        request, "resources/list_detail.html", {"curated_list": curated_list, "items": items}
    )


def suggestion_create(request: HttpRequest) -> HttpResponse:
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suggestion = form.save(commit=False)
        suggestion.owner = request.user
        suggestion.save()
        messages.success(request, "Thank you: a curator will look at your suggestion.")
        return redirect("resources:suggestion_list")
    return render(request, "resources/suggestion_form.html", {"form": form})


def suggestion_list(request: HttpRequest) -> HttpResponse:
    suggestions = Suggestion.objects.for_user(request.user).select_related("resource")
    return render(request, "resources/suggestion_list.html", {"suggestions": suggestions})


@login_not_required
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/event_list.html",
        {
            "upcoming": upcoming_events(Event.objects.published(), timezone.now()),
            "viewer_zone": viewer_time_zone(request.user),
        },
    )


@login_not_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), pk=pk)
    now = timezone.now()
    upcoming = upcoming_sessions(event, now)
    recent = recent_sessions(event, now) if request.user.is_authenticated else []
    zone = viewer_time_zone(request.user)
    return render(
        request,
        "resources/event_detail.html",
        {
            "event": event,
            "upcoming": upcoming,
            "recent": recent,
            "viewer_zone": zone,
            # The page changes as sessions come and go: its drawing is cached under the
            # sessions it shows and the zone it shows them in.
            "shown": " ".join(
                [zone, *(session.start.isoformat() for session in upcoming + recent)]
            ),
            "fragments": Fragments.of(
                request,
                timezone.localdate(),
                shows=(SITE, LIBRARY),
                posts=request.user.is_authenticated,  # "I took part"
            ),
        },
    )


def _calendar_response(calendar: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_not_required
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), pk=pk)
    calendar = events_calendar([event], name=event.title, uid_domain=request.get_host())
    return _calendar_response(calendar, f"event-{event.pk}.ics")


@login_not_required
def events_feed(request: HttpRequest) -> HttpResponse:
    """Every upcoming event in one calendar to subscribe to; calendar apps fetch it without
    a login, and events are public anyway."""
    upcoming = [item.event for item in upcoming_events(Event.objects.published(), timezone.now())]
    calendar = events_calendar(
        upcoming, name="CPD Portal: chats and webinars", uid_domain=request.get_host()
    )
    return _calendar_response(calendar, "cpd-portal-events.ics")


@require_POST
def event_took_part(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), pk=pk)
    try:
        start = dt.datetime.fromisoformat(request.POST.get("session", ""))
    except ValueError:
        return HttpResponseBadRequest("Which session? The form did not say.")
    session = session_starting_at(event, start, timezone.now()) if start.tzinfo else None
    if session is None:
        return HttpResponseBadRequest("That is not a recent session of this event.")
    draft = draft_from_session(event, session, request.user)
    messages.info(
        request,
        f"Saved “{draft.title}” as a draft: add your reflection and save it as complete.",
    )
    return redirect("portfolio:entry_edit", draft.pk)
