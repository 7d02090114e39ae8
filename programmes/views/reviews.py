"""A submission's page: its leaders comment, request changes and sign off; its student replies
and resubmits."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes import notifications, review, submissions
from programmes.access import (
    SubmissionAccess,
    submission_acting_as,
    submission_for,
)
from programmes.errors import ActionRefused
from programmes.forms import (
    CommentForm,
    ReplyForm,
    RequestChangesForm,
    ResubmitForm,
    RevokeSignOffForm,
    SignOffForm,
)
from programmes.models import Comment
from programmes.review_page import build_review_page

# --- Submissions: review -------------------------------------------------------------------------

LEADERS_COMMENT = "Only the programme's leaders start comments."
LEADERS_DECIDE = "Only the programme's leaders decide on a submission."
STUDENT_RESUBMITS = "Only the student resubmits."


def _sign_off_form(access: SubmissionAccess, leader, version: int) -> SignOffForm:
    return SignOffForm(
        initial={
            "name": leader.display_name,
            "role": f"Programme leader, {access.submission.membership.cohort.programme}",
            "signed_on": timezone.localdate(),
        },
        declaration=review.sign_off_declaration(access.submission, version),
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
        "student": access.submission.membership.student_name,
        "overall_form": CommentForm(snapshot=page.snapshot, auto_id="overall-%s"),
        "request_changes_form": RequestChangesForm(auto_id="changes-%s"),
        "sign_off_form": _sign_off_form(access, request.user, page.snapshots[-1].number),
        "resubmit_form": ResubmitForm(auto_id="resubmit-%s"),
        "revoke_form": RevokeSignOffForm(auto_id="revoke-%s"),
    }
    context.update(forms)
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render(request, "programmes/submission_detail.html", context, status=status)


def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_for(request.user, pk)
    notifications.mark_submission_read(request.user, access.submission)
    return _render_review(request, access)


def _attempt(request: HttpRequest, action, *args, success: str, **kwargs) -> None:
    """Run a review action, reporting success or the reason it was refused as a message."""
    try:
        action(*args, **kwargs)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)


@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_acting_as(request.user, pk, "leader", LEADERS_COMMENT)
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


@require_POST
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_acting_as(request.user, pk, "leader", LEADERS_DECIDE)
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


@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_acting_as(request.user, pk, "leader", LEADERS_DECIDE)
    version = review.current_snapshot(access.submission).number
    form = SignOffForm(
        request.POST, declaration=review.sign_off_declaration(access.submission, version)
    )
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


@require_POST
def revoke_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_acting_as(request.user, pk, "leader", LEADERS_DECIDE)
    form = RevokeSignOffForm(request.POST, auto_id="revoke-%s")
    if not form.is_valid():
        return _render_review(request, access, revoke_form=form)
    _attempt(
        request,
        review.revoke_sign_off,
        access,
        request.user,
        form.cleaned_data["reason"],
        success="Sign-off revoked: its credential no longer verifies, and the student has "
        "been told.",
    )
    return redirect(access.submission)


@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    access = submission_acting_as(request.user, pk, "student", STUDENT_RESUBMITS)
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
