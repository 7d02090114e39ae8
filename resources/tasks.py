"""Background work for the library. Tasks take ids, load, and call a domain function; running
one twice does no harm (link_check counts a repeated failure once)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .link_check import check_resource_links
from .models import Resource

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 30, "max_retries": 3}


@shared_task(**RETRY)
def check_library_links() -> int:
    """The daily check of every published resource's link (CELERY_BEAT_SCHEDULE)."""
    return len(check_resource_links(Resource.objects.published().order_by("pk")))


@shared_task(**RETRY)
def check_resource_link(resource_id: int) -> None:
    """A curator's "check again" for one link."""
    check_resource_links(Resource.objects.filter(pk=resource_id))
