"""Students' pages: accepting an invitation with consent to share, changing or stopping sharing,
and submitting a CPD year for review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.signup_details import offer_signup_details
from programmes import consent, invitations, submissions
from programmes.errors import ActionRefused
from programmes.forms import (
    SharingForm,
    SubmitForm,
)
from programmes.models import Membership

# --- The programmes page: what I lead, and where I study --------------------------------------


def sharing_prefix(membership: Membership) -> str:
    return f"sharing-{membership.pk}"


def submit_prefix(membership: Membership) -> str:
    return f"submit-{membership.pk}"


def invitation_prefix(pk: int) -> str:
    return f"invitation-{pk}"


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


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email. Signed out, the invitee is told at once if it can no
    longer be used, or else offered to log in or sign up (the form filled in with the invited
    address) and is brought back here; signed in, they choose what to share and join."""
    invitation = invitations.find_invitation(token)
    context = {"invitation": invitation}
    if invitation is None:
        context["problem"] = (
            "This invitation link is not valid. Check that you copied the whole link from the "
            "email, or ask your programme leader to invite you again."
        )
        return render(request, "programmes/invitation.html", context, status=404)
    context["sent_to"] = invitations.masked(invitation.email)
    if not request.user.is_authenticated:
        # Whether it can still be used is said now, not after signing up and confirming an
        # address; and only a masked address is shown to someone not yet known to own it.
        if problem := invitations.refusal_for_anyone(invitation):
            context["problem"] = problem
            return render(request, "programmes/invitation.html", context, status=410)
        offer_signup_details(request, email=invitation.email, display_name=invitation.name)
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


@require_POST
def invitation_join(request: HttpRequest, pk: int) -> HttpResponse:
    """Joining from the programmes page, for a signed-in user with a verified address the
    invitation was sent to: the same checks as the emailed link."""
    invitation = get_object_or_404(invitations.invitations_addressed_to(request.user), pk=pk)
    form = SharingForm(request.POST, prefix=invitation_prefix(pk), today=timezone.localdate())
    if response := _accept(request, invitation, form):
        return response
    messages.error(request, "Choose what to share before you join.")
    return redirect("programmes:home")


def _own_membership(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.for_user(request.user).select_related("cohort__programme"), pk=pk
    )


@require_POST
def sharing_change(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request, pk)
    form = SharingForm(
        request.POST,
        prefix=sharing_prefix(membership),
        today=timezone.localdate(),
        membership=membership,
    )
    if form.is_valid():
        consent.change_sharing(membership, shared_year=form.shared_year)
        what = consent.what_is_shared(form.shared_year)
        messages.success(request, f"You now share {what} with {membership.cohort}.")
    else:
        messages.error(request, "Choose what to share.")
    return redirect("programmes:home")


@require_POST
def sharing_stop(request: HttpRequest, pk: int) -> HttpResponse:
    membership = consent.stop_sharing(_own_membership(request, pk))
    messages.success(
        request,
        f"You no longer share anything with {membership.cohort}. Its leaders cannot see your "
        "portfolio or your submissions from now on.",
    )
    return redirect("programmes:home")


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request, pk)
    form = SubmitForm(
        request.POST,
        prefix=submit_prefix(membership),
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
