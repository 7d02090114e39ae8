from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from core.cpd_year import CpdYear, cpd_year_containing, cpd_year_ending_in
from core.fragments import Fragments
from core.private_files import private_file_response
from core.rate_limits import rate_limited
from core.upload_limits import declared_length, declared_too_large

from .dashboard import build_dashboard
from .entries import delete_entry, save_entry
from .entry_rules import CONFIDENTIAL_TEXT_FIELDS, EARLIEST_DATE, identifying_details
from .evidence import too_large_message
from .filters import LogFilter, active_filter_count
from .forms import ConfidentialityCheckForm, EntryForm
from .log import SearchPaginator, with_detail_relations, with_list_details
from .models import Entry, Evidence
from .pending_evidence import hold_files, release
from .starting_values import starting_values

LOG_PAGE_SIZE = 20


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portfolio:dashboard")
    return render(request, "home.html")


def _requested_year(request: HttpRequest, today) -> CpdYear:
    """The CPD year named by ?year= (the calendar year it ends in), or the current one when
    the parameter is missing or names a year nobody could have logged CPD in."""
    current = cpd_year_containing(today)
    try:
        end_year = int(request.GET.get("year", ""))
    except ValueError:
        return current
    if not EARLIEST_DATE.year < end_year <= current.end.year:
        return current
    return cpd_year_ending_in(end_year)


def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _requested_year(request, today)
    # Counted only when the page's cached fragments are missing (core/fragments.py).
    counted = SimpleLazyObject(lambda: build_dashboard(request.user, year, today))
    return render(
        request,
        "portfolio/dashboard.html",
        {
            "dashboard": counted,
            "year": year,
            "is_current": year.contains(today),
            "days_left": year.days_left(today),
            "fragments": Fragments.of(request, today),
        },
    )


def entry_list(request: HttpRequest) -> HttpResponse:
    # Invalid filters are reported and left out; the valid ones still apply.
    log = LogFilter(request.GET or None, Entry.objects.for_user(request.user), request=request)

    def requested_page() -> Page:
        entries = log.qs  # validates the form: cleaned_data holds the filters that are valid
        if getattr(log.form, "cleaned_data", {}).get("q"):
            paginator = SearchPaginator(entries, LOG_PAGE_SIZE)
        else:
            paginator = Paginator(with_list_details(entries), LOG_PAGE_SIZE)
        return paginator.get_page(request.GET.get("page"))

    template = "portfolio/entry_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    # The form and the page are built only when the page's cached fragments are missing.
    context = {
        "form": SimpleLazyObject(lambda: log.form),
        "page": SimpleLazyObject(requested_page),
        "active_filters": active_filter_count(request.GET),
        "fragments": Fragments.of(request, timezone.localdate()),
    }
    return render(request, template, context)


def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(with_detail_relations(Entry.objects.for_user(request.user)), pk=pk)
    return render(request, "portfolio/entry_detail.html", {"entry": entry})


def _save_from_form(request: HttpRequest, form: EntryForm) -> Entry:
    entry = save_entry(
        form.save(commit=False),
        owner=request.user,
        capabilities=form.cleaned_data["capabilities"],
        tag_names=form.cleaned_data["tag_names"],
        new_files=form.cleaned_data["evidence"],
        held_files=form.kept_held,
        removed_evidence=form.cleaned_data.get("remove_evidence", []),
    )
    release(form.cleaned_data["remove_held"])
    if entry.is_complete:
        messages.success(request, f"Saved “{entry.title}”.")
    else:
        messages.info(
            request, f"Saved “{entry.title}” as a draft: it will not count until it is complete."
        )
    if reminder := form.confidentiality_reminder():
        messages.warning(request, reminder)
    return entry


def _declares_too_much_evidence(request: HttpRequest) -> bool:
    """Whether the request says it is larger than the evidence it may carry: refused before
    its body is read, so a huge upload never reaches a temporary file."""
    return request.method == "POST" and declared_too_large(request, settings.EVIDENCE_MAX_BYTES)


def _evidence_too_large(request: HttpRequest, form: EntryForm, entry=None) -> HttpResponse:
    problem = too_large_message("What you sent", declared_length(request))
    return render(
        request,
        "portfolio/entry_form.html",
        {"form": form, "entry": entry, "problem": problem},
        status=413,
    )


def _show_form(request: HttpRequest, form: EntryForm, entry: Entry | None = None) -> HttpResponse:
    """The form, afresh or again after an error: then the files it chose that passed their
    checks are held (and those it removed let go), and it lists them, so nothing chosen is
    lost."""
    if form.is_bound:
        form.held, refused = hold_files(
            request.user,
            form.upload_token,
            form.accepted_uploads,
            kept=form.kept_held,
            removing=form.cleaned_data.get("remove_held", []),
        )
        for problem in refused:
            form.add_error("evidence", problem)
    return render(request, "portfolio/entry_form.html", {"form": form, "entry": entry})


def entry_create(request: HttpRequest) -> HttpResponse:
    """A new entry, started from a library resource (?resource=) or from a link shared by the
    bookmarklet or a phone's Share menu (?url=&title=&text=)."""
    initial = starting_values(request.GET)
    if _declares_too_much_evidence(request):
        return _evidence_too_large(request, EntryForm(owner=request.user, initial=initial))
    form = EntryForm(
        request.POST or None, request.FILES or None, owner=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        return redirect(_save_from_form(request, form))
    return _show_form(request, form)


def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.for_user(request.user), pk=pk)
    if _declares_too_much_evidence(request):
        form = EntryForm(instance=entry, owner=request.user)
        return _evidence_too_large(request, form, entry)
    form = EntryForm(
        request.POST or None, request.FILES or None, instance=entry, owner=request.user
    )
    if request.method == "POST" and form.is_valid():
        return redirect(_save_from_form(request, form))
    return _show_form(request, form, entry)


def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        title = entry.title
        delete_entry(entry)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("portfolio:entry_list")
    return render(request, "portfolio/entry_confirm_delete.html", {"entry": entry})


@require_POST
@rate_limited("confidentiality-check", key="user", doing="checking text as you type")
def confidentiality_check(request: HttpRequest) -> HttpResponse:
    """Warns while the user types; the form runs the same check again when it is saved."""
    findings = ConfidentialityCheckForm(request.POST).findings()
    return render(request, "portfolio/_confidentiality.html", {"findings": findings})


@require_POST
@rate_limited("confidentiality-check", key="user", doing="checking text as you type")
def confidentiality_check_field(request: HttpRequest, field: str) -> HttpResponse:
    """The warnings for one field, shown right under it as the user types or leaves it."""
    if field not in CONFIDENTIAL_TEXT_FIELDS:
        raise Http404("No such field.")
    findings = identifying_details({field: request.POST.get(field, "")})
    return render(request, "portfolio/_field_confidentiality.html", {"findings": findings})


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.for_user(request.user), pk=pk)
    return private_file_response(
        evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        as_attachment=request.GET.get("inline") != "1",
    )
