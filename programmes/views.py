from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portfolio.checklist import regulator_checklist
from portfolio.cpd_year import cpd_year_containing, cpd_year_ending_in

from . import consent, invitations, notifications, review, submissions
from .access import (
    CohortView,
    SubmissionAccess,
    cohort_for,
    downloadable_packs,
    may_lead,
    programme_for,
    shared_portfolio_for,
    submission_for,
)
from .cohorts import add_co_leader, add_cohort, create_programme
from .errors import ActionRefused
from .forms import (
    CohortForm,
    CoLeaderForm,
    CommentForm,
    InvitationForm,
    OverviewFilterForm,
    ProgrammeForm,
    ReplyForm,
    RequestChangesForm,
    ResubmitForm,
    SharingForm,
    SignOffForm,
    SubmitForm,
    recent_years,
)
from .models import Cohort, Comment, Membership, Notification, Programme, Submission
from .overview import build_cohort_overview
from .review_page import build_review_page
from .snapshots import copy_entry, with_copied_relations

NOTIFICATIONS_PAGE_SIZE = 20


def leader_required(view):
    """Signed in, and a programme leader or staff; anyone else is refused (403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not may_lead(request.user):
            raise PermissionDenied("Only programme leaders can do this.")
        return view(request, *args, **kwargs)

    return wrapper


# --- The programmes page: what I lead, and where I study --------------------------------------


def _sharing_prefix(membership: Membership) -> str:
    return f"sharing-{membership.pk}"


def _submit_prefix(membership: Membership) -> str:
    return f"submit-{membership.pk}"


def _invitation_prefix(pk: int) -> str:
    return f"invitation-{pk}"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    led = []
    if may_lead(user):
        cohorts = Cohort.objects.annotate(
            sharing=Count("memberships", filter=Q(memberships__revoked_at=None))
        ).order_by("name", "pk")
        led = Programme.objects.for_user(user).prefetch_related(Prefetch("cohorts", cohorts))
    memberships = (
        Membership.objects.for_user(user)
        .select_related("cohort__programme")
        .prefetch_related(
            "cohort__programme__leaders",
            Prefetch(
                "submissions",
                Submission.objects.annotate(version=Max("snapshots__number")).order_by("-year"),
            ),
        )
        .order_by("-joined_at")
    )
    return render(
        request,
        "programmes/home.html",
        {
            "led_programmes": led,
            "may_lead": may_lead(user),
            "memberships": [
                (
                    membership,
                    SharingForm(
                        prefix=_sharing_prefix(membership), today=today, membership=membership
                    ),
                    SubmitForm(
                        prefix=_submit_prefix(membership), membership=membership, today=today
                    ),
                )
                for membership in memberships
            ],
            "invitations": [
                (invitation, SharingForm(prefix=_invitation_prefix(invitation.pk), today=today))
                for invitation in invitations.pending_invitations_for(user)
            ],
        },
    )


# --- Leaders: programmes, cohorts, co-leaders --------------------------------------------------


@leader_required
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = create_programme(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            created_by=request.user,
        )
        messages.success(request, f"Created {programme}. Add its first cohort.")
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form})


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


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_programme(request, programme_for(request.user, pk))


@login_required
@require_POST
def cohort_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request.user, pk)
    form = CohortForm(request.POST, programme=programme)
    if not form.is_valid():
        return _render_programme(request, programme, cohort_form=form)
    cohort = add_cohort(programme, form.cleaned_data["name"])
    messages.success(request, f"Added the cohort {cohort.name}. Invite its students.")
    return redirect(cohort)


@login_required
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
    request: HttpRequest, view: CohortView, invitation_form: InvitationForm | None = None
) -> HttpResponse:
    filters = OverviewFilterForm(request.GET or None)
    filters.is_valid()  # invalid filters are reported and left out; the valid ones still apply
    today = timezone.localdate()
    overview = build_cohort_overview(
        view, cpd_year_containing(today), today, getattr(filters, "cleaned_data", {})
    )
    query = request.GET.copy()
    query.pop("sort", None)
    template = "programmes/cohort_overview.html"
    if request.htmx and not request.htmx.boosted:
        template += "#students"
    return render(
        request,
        template,
        {
            "cohort": view.cohort,
            "overview": overview,
            "filters": filters,
            "query": query.urlencode(),
            "invitation_form": invitation_form or InvitationForm(),
            "invitations": view.cohort.invitations.all(),
        },
    )


@login_required
def cohort_overview(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_cohort(request, cohort_for(request.user, pk))


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    view = cohort_for(request.user, pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_cohort(request, view, invitation_form=form)
    result = invitations.invite(view.cohort, form.cleaned_data["emails"], invited_by=request.user)
    if result.sent:
        messages.success(request, f"Invitation sent to {', '.join(result.sent)}.")
    if result.already_members:
        messages.info(
            request, f"Already in the cohort and sharing: {', '.join(result.already_members)}."
        )
    return redirect(view.cohort)


# --- Leaders: a student's shared portfolio ------------------------------------------------------


@login_required
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
    activities = list(with_copied_relations(shared.activities_in(year)))
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
            "entries": [copy_entry(activity) for activity in activities],
            "checklist": regulator_checklist(activities, year, today),
            "submissions": submissions_seen,
            "packs": downloadable_packs(shared),
        },
    )


# --- Students: invitations and consent -----------------------------------------------------------


def _accept(request: HttpRequest, invitation, form: SharingForm) -> HttpResponse | None:
    """Accept ``invitation`` with the sharing chosen in ``form``; None when the form is not
    valid. A refusal is reported as a message."""
    if not form.is_valid():
        return None
    try:
        membership = invitations.accept_invitation(
            invitation, request.user, shared_year=form.shared_year
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            f"You joined {membership.cohort}. Its leaders can now see what you chose to share; "
            "you can change that or stop sharing here at any time.",
        )
    return redirect("programmes:home")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email. Signed out, the invitee is offered to log in or sign
    up and is brought back here; signed in, they choose what to share and join."""
    invitation = invitations.find_invitation(token)
    context = {"invitation": invitation}
    if invitation is None:
        context["problem"] = (
            "This invitation link is not valid. Check that you copied the whole link from the "
            "email, or ask your programme leader to invite you again."
        )
        return render(request, "programmes/invitation.html", context, status=404)
    if not request.user.is_authenticated:
        return render(request, "programmes/invitation.html", context)
    try:
        invitations.check_acceptable(invitation, request.user)
    except ActionRefused as refusal:
        context["problem"] = str(refusal)
        return render(request, "programmes/invitation.html", context, status=403)
    form = SharingForm(request.POST or None, prefix="sharing", today=timezone.localdate())
    if request.method == "POST" and (response := _accept(request, invitation, form)):
        return response
    context["form"] = form
    return render(request, "programmes/invitation.html", context)


@login_required
@require_POST
def invitation_join(request: HttpRequest, pk: int) -> HttpResponse:
    """Joining from the programmes page, for a signed-in user with a verified address the
    invitation was sent to: the same checks as the emailed link."""
    invitation = get_object_or_404(invitations.invitations_addressed_to(request.user), pk=pk)
    form = SharingForm(request.POST, prefix=_invitation_prefix(pk), today=timezone.localdate())
    if response := _accept(request, invitation, form):
        return response
    messages.error(request, "Choose what to share before you join.")
    return redirect("programmes:home")


def _own_membership(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.for_user(request.user).select_related("cohort__programme"), pk=pk
    )


@login_required
@require_POST
def sharing_change(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request, pk)
    form = SharingForm(
        request.POST,
        prefix=_sharing_prefix(membership),
        today=timezone.localdate(),
        membership=membership,
    )
    if form.is_valid():
        consent.change_sharing(membership, shared_year=form.shared_year)
        what = (
            "your whole portfolio"
            if membership.shared_year is None
            else f"CPD year {cpd_year_ending_in(membership.shared_year).label} only"
        )
        messages.success(request, f"You now share {what} with {membership.cohort}.")
    else:
        messages.error(request, "Choose what to share.")
    return redirect("programmes:home")


@login_required
@require_POST
def sharing_stop(request: HttpRequest, pk: int) -> HttpResponse:
    membership = consent.stop_sharing(_own_membership(request, pk))
    messages.success(
        request,
        f"You no longer share anything with {membership.cohort}. Its leaders cannot see your "
        "portfolio or your submissions from now on.",
    )
    return redirect("programmes:home")


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request, pk)
    form = SubmitForm(
        request.POST,
        prefix=_submit_prefix(membership),
        membership=membership,
        today=timezone.localdate(),
    )
    if not form.is_valid():
        messages.error(request, "Choose a CPD year you share with this cohort.")
        return redirect("programmes:home")
    try:
        submission = submissions.submit(membership, form.cpd_year, note=form.cleaned_data["note"])
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("programmes:home")
    messages.success(
        request,
        f"Submitted CPD year {form.cpd_year.label}. Your entries are frozen as version 1: "
        "editing them now will not change what your programme leader reviews.",
    )
    return redirect(submission)


# --- Submissions: review -------------------------------------------------------------------------


def _sign_off_form(access: SubmissionAccess, leader) -> SignOffForm:
    return SignOffForm(
        initial={
            "name": leader.display_name,
            "role": f"Programme leader, {access.submission.membership.cohort.programme}",
            "signed_on": timezone.localdate(),
        }
    )


def _render_review(request: HttpRequest, access: SubmissionAccess, **forms) -> HttpResponse:
    try:
        version = int(request.GET.get("version", ""))
    except ValueError:
        version = None
    page = build_review_page(access, version)
    context = {
        "page": page,
        "access": access,
        "submission": access.submission,
        "student": access.submission.membership.student,
        "overall_form": CommentForm(snapshot=page.snapshot, auto_id="overall-%s"),
        "request_changes_form": RequestChangesForm(auto_id="changes-%s"),
        "sign_off_form": _sign_off_form(access, request.user),
        "resubmit_form": ResubmitForm(auto_id="resubmit-%s"),
    }
    context.update(forms)
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render(request, "programmes/submission_detail.html", context, status=status)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, submission_for(request.user, pk))


def _attempt(request: HttpRequest, action, *args, success: str, **kwargs) -> None:
    """Run a review action, reporting success or the reason it was refused as a message."""
    try:
        action(*args, **kwargs)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_for(request.user, pk)
    if not access.as_leader:
        raise PermissionDenied("Only the programme's leaders start comments.")
    snapshot = review.current_snapshot(access.submission)
    form = CommentForm(request.POST, snapshot=snapshot, auto_id="overall-%s")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(access.submission)
    entry = form.cleaned_data["entry"]
    _attempt(
        request,
        review.add_comment,
        access,
        request.user,
        form.cleaned_data["text"],
        entry=entry,
        success="Comment added.",
    )
    anchor = f"#entry-{entry.pk}" if entry else "#comments"
    return redirect(access.submission.get_absolute_url() + anchor)


@login_required
@require_POST
def reply_create(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    access = submission_for(request.user, pk)
    parent = get_object_or_404(
        Comment.objects.select_related("snapshot", "reply_to__snapshot"),
        pk=comment_pk,
        snapshot__submission=access.submission,
    )
    form = ReplyForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            review.reply,
            access,
            request.user,
            parent,
            form.cleaned_data["text"],
            success="Reply added.",
        )
    else:
        messages.error(request, "Write a reply before sending it.")
    return redirect(access.submission.get_absolute_url() + f"#comment-{parent.pk}")


@login_required
@require_POST
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_for(request.user, pk)
    if not access.as_leader:
        raise PermissionDenied("Only the programme's leaders decide on a submission.")
    form = RequestChangesForm(request.POST, auto_id="changes-%s")
    if not form.is_valid():
        return _render_review(request, access, request_changes_form=form)
    _attempt(
        request,
        review.request_changes,
        access,
        request.user,
        form.cleaned_data["text"],
        success="Changes requested: the student has been told.",
    )
    return redirect(access.submission)


@login_required
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_for(request.user, pk)
    if not access.as_leader:
        raise PermissionDenied("Only the programme's leaders decide on a submission.")
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return _render_review(request, access, sign_off_form=form)
    _attempt(
        request,
        review.sign_off,
        access,
        request.user,
        **form.cleaned_data,
        success="Signed off: the student has been told.",
    )
    return redirect(access.submission)


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_for(request.user, pk)
    if not access.as_student:
        raise PermissionDenied("Only the student resubmits.")
    form = ResubmitForm(request.POST, auto_id="resubmit-%s")
    if not form.is_valid():
        return _render_review(request, access, resubmit_form=form)
    _attempt(
        request,
        submissions.resubmit,
        access.submission,
        note=form.cleaned_data["note"],
        success="Resubmitted: your entries are frozen again as a new version.",
    )
    return redirect(access.submission)


# --- Notifications -------------------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.for_user(request.user), NOTIFICATIONS_PAGE_SIZE)
    return render(
        request,
        "programmes/notifications.html",
        {"page": page.get_page(request.GET.get("page"))},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notifications.mark_read(notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("programmes:notification_list")
    return redirect(notification.url)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_all_read(request.user)
    return redirect(reverse("programmes:notification_list"))
