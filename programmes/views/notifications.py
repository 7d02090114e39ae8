"""A user's notifications: listed, opened and marked read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from programmes import notifications
from programmes.models import Notification

# --- Notifications -------------------------------------------------------------------------------


def notification_list(request: HttpRequest) -> HttpResponse:
    page = notifications.notification_page(request.user, request.GET.get("page"))
    return render(request, "programmes/notifications.html", {"page": page})


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notifications.mark_read(notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("programmes:notification_list")
    return redirect(notification.url)


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_all_read(request.user)
    return redirect(reverse("programmes:notification_list"))
