"""Leaders' pages: their programmes, cohorts and co-leaders, a cohort's overview and invitations,
and a student's shared portfolio."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from core.cpd_year import cpd_year_containing, cpd_year_ending_in
from core.fragments import SITE, Fragments, cohort_scope
from core.rate_limits import rate_limited
from portfolio.checklist import regulator_checklist
from programmes import invitations
from programmes.access import (
    CohortView,
    cohort_for,
    downloadable_packs,
    kept_records,
    may_lead,
    programme_for,
    shared_portfolio_for,
)
from programmes.audit import latest_consent_changes
from programmes.cohorts import add_co_leader, add_cohort, create_programme
from programmes.errors import ActionRefused
from programmes.forms import (
    CohortForm,
    CoLeaderForm,
    InvitationForm,
    OverviewFilterForm,
    ProgrammeForm,
    recent_years,
)
from programmes.models import Programme, Submission
from programmes.overview import build_cohort_overview
from programmes.snapshots import copy_entry, with_copied_relations


def leader_required(view):
    """A programme leader or staff; anyone else signed in is refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not may_lead(request.user):
            raise PermissionDenied("Only programme leaders can do this.")
        return view(request, *args, **kwargs)

    return wrapper


# --- Leaders: programmes, cohorts, co-leaders --------------------------------------------------


@leader_required
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = create_programme(**form.cleaned_data, created_by=request.user)
        messages.success(request, f"Created {programme}. Add its first cohort.")
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader changes the programme's name, description and institution. Credentials issued
    before keep the issuer they were signed with."""
    programme = programme_for(request.user, pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved the details of {programme}.")
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


def _render_programme(
    request: HttpRequest,
    programme: Programme,
    cohort_form: CohortForm | None = None,
    leader_form: CoLeaderForm | None = None,
) -> HttpResponse:
    cohorts = programme.cohorts.annotate(
        sharing=Count("memberships", filter=Q(memberships__revoked_at=None))
    ).order_by("name", "pk")
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "cohorts": cohorts,
            "leaders": programme.leaders.order_by("display_name", "email"),
            "cohort_form": cohort_form or CohortForm(programme=programme),
            "leader_form": leader_form or CoLeaderForm(),
        },
    )


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_programme(request, programme_for(request.user, pk))


@require_POST
def cohort_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request.user, pk)
    form = CohortForm(request.POST, programme=programme)
    if not form.is_valid():
        return _render_programme(request, programme, cohort_form=form)
    cohort = add_cohort(programme, form.cleaned_data["name"])
    messages.success(request, f"Added the cohort {cohort.name}. Invite its students.")
    return redirect(cohort)


@require_POST
def leader_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request.user, pk)
    form = CoLeaderForm(request.POST)
    if not form.is_valid():
        return _render_programme(request, programme, leader_form=form)
    try:
        leader = add_co_leader(programme, form.cleaned_data["email"])
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{leader} now leads {programme} with you.")
    return redirect(programme)


# --- Leaders: a cohort's overview and invitations ----------------------------------------------


def _render_cohort(
    request: HttpRequest,
    view: CohortView,
    invitation_form: InvitationForm | None = None,
    invitation_result: invitations.InvitationResult | None = None,
) -> HttpResponse:
    filters = OverviewFilterForm(request.GET or None)
    filters.is_valid()  # invalid filters are reported and left out; the valid ones still apply
    today = timezone.localdate()
    year = cpd_year_containing(today)
    # Built only when the page's cached fragments are missing (core/fragments.py).
    overview = SimpleLazyObject(
        lambda: build_cohort_overview(
            view, year, today, getattr(filters, "cleaned_data", {}), request.GET.get("page")
        )
    )
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("page", None)  # a new order starts on its first page
    template = "programmes/cohort_overview.html"
    if request.htmx and not request.htmx.boosted:
        template += "#students"
    return render(
        request,
        template,
        {
            "cohort": view.cohort,
            "year": year,
            "overview": overview,
            # The invitation form posts from inside the cached page.
            "fragments": Fragments.of(
                request, today, shows=(SITE, cohort_scope(view.cohort.pk)), posts=True
            ),
            "filters": filters,
            "query": query.urlencode(),
            "invitation_form": invitation_form or InvitationForm(),
            "invitation_result": invitation_result,
            # A cohort's hundreds of invitations are listed only to someone who opens the
            # list (through htmx, from invite), or without JavaScript by ?invitations.
            "invitations_sent": SimpleLazyObject(view.cohort.invitations.count),
            "invitations": view.cohort.invitations.all(),
            "listing_invitations": "invitations" in request.GET,
        },
    )


def cohort_overview(request: HttpRequest, pk: int) -> HttpResponse:
    view = cohort_for(request.user, pk)
    result = _take_invitation_report(request, view.cohort.pk)
    if result is None:
        return _render_cohort(request, view)
    # What could not be read is put back in the box to be corrected; the rest went out.
    unsent = "\n".join(each.address for each in result.invalid)
    return _render_cohort(
        request,
        view,
        invitation_form=InvitationForm(initial={"emails": unsent}),
        invitation_result=result,
    )


# The report of the invitations just sent, kept in the session from the POST to the page its
# redirect shows once: reloading that page then sends nothing again.
INVITATION_REPORT = "programmes.invitation_report"


def _keep_invitation_report(
    request: HttpRequest, cohort_pk: int, result: invitations.InvitationResult
) -> None:
    request.session[INVITATION_REPORT] = {"cohort": cohort_pk, "outcomes": result.as_data()}


def _take_invitation_report(
    request: HttpRequest, cohort_pk: int
) -> invitations.InvitationResult | None:
    kept = request.session.get(INVITATION_REPORT)
    if not kept or kept.get("cohort") != cohort_pk or request.htmx:
        return None
    del request.session[INVITATION_REPORT]
    return invitations.InvitationResult.from_data(kept["outcomes"])


def cohort_records(request: HttpRequest, pk: int) -> HttpResponse:
    """What the cohort keeps beside its students' work: their consent over time, and the
    records of those who deleted their accounts. A page of its own, so the overview, opened
    far more often, reads neither."""
    view = cohort_for(request.user, pk)
    return render(
        request,
        "programmes/cohort_records.html",
        {
            "cohort": view.cohort,
            "consent_trail": latest_consent_changes(view.cohort),
            "kept_records": kept_records(view),
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("invitations", key="user", doing="sending invitations")
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's invitations: the list of those sent (GET, for the overview's list as it is
    opened), or new ones (POST)."""
    view = cohort_for(request.user, pk)
    if request.method == "GET":
        return render(
            request,
            "programmes/cohort_overview.html#invitations",
            {"invitations": view.cohort.invitations.all(), "listing_invitations": True},
        )
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_cohort(request, view, invitation_form=form)
    result = invitations.invite(view.cohort, form.cleaned_data["emails"], invited_by=request.user)
    _keep_invitation_report(request, view.cohort.pk, result)
    return redirect(view.cohort.get_absolute_url() + "#invite-heading")


# --- Leaders: a student's shared portfolio ------------------------------------------------------


def shared_portfolio(request: HttpRequest, student_id: int) -> HttpResponse:
    shared = shared_portfolio_for(request.user, student_id)
    today = timezone.localdate()
    if shared.whole_portfolio:
        years = recent_years(today)
    else:
        years = [cpd_year_ending_in(end) for end in shared.shared_years]
    year = years[0]
    if "year" in request.GET:
        year = next((y for y in years if y.slug == request.GET["year"]), None)
        if year is None or not shared.covers(year):
            raise Http404("The student does not share that year with you.")
    entries = list(with_copied_relations(shared.entries_in(year)))
    submissions_seen = [
        s
        for s in Submission.objects.filter(membership__in=shared.memberships)
        .select_related("membership__cohort__programme")
        .annotate(version=Max("snapshots__number"))
        .order_by("-year")
        if s.membership.covers(cpd_year_ending_in(s.year))
    ]
    return render(
        request,
        "programmes/shared_portfolio.html",
        {
            "shared": shared,
            "student": shared.student,
            "year": year,
            "years": years,
            "entries": [copy_entry(entry) for entry in entries],
            "checklist": regulator_checklist(entries, year, today),
            "submissions": submissions_seen,
            "packs": downloadable_packs(shared),
        },
    )
