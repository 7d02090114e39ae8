"""The programmes page: the programmes I lead, and those I study on."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from programmes import invitations
from programmes.access import (
    may_lead,
)
from programmes.forms import (
    SharingForm,
    SubmitForm,
)
from programmes.models import Cohort, Membership, Programme, Submission

from .students import invitation_prefix, sharing_prefix, submit_prefix


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
            "audit_events",
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
                        prefix=sharing_prefix(membership), today=today, membership=membership
                    ),
                    SubmitForm(
                        prefix=submit_prefix(membership), membership=membership, today=today
                    ),
                )
                for membership in memberships
            ],
            "invitations": [
                (invitation, SharingForm(prefix=invitation_prefix(invitation.pk), today=today))
                for invitation in invitations.pending_invitations_for(user)
            ],
        },
    )
