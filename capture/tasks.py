"""Background work for quick capture. Tasks take ids and call a domain function; running one
twice does no harm (a title once replaced is no longer the provisional one)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from portfolio.models import Entry

from .page_titles import fetch_page_title
from .quick_capture import has_provisional_title, replace_provisional_title

# A page that did not answer is not tried again: its title is a nicety, and the owner can type
# one. Only the database failing is worth another go.
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 5, "max_retries": 3}


@shared_task(**RETRY)
def fetch_draft_title(entry_id: int) -> bool:
    """Fetch the page of a draft captured as a bare link and use its title, unless the owner
    has given it one meanwhile. Returns whether the title was replaced."""
    entry = Entry.objects.filter(pk=entry_id).only("url", "title").first()
    if entry is None or not has_provisional_title(entry):
        return False
    return replace_provisional_title(entry_id, fetch_page_title(entry.url))
