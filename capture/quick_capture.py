"""Quick capture: a link shared from elsewhere (the bookmarklet, a phone's Share menu) turned
into the activity form's starting values, and a note captured on the move turned into a draft
that waits for its reflection."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.fragments import renew_owner_version
from portfolio.entries import create_once
from portfolio.link_kinds import guess_link_kind, web_address
from portfolio.models import ActivityType, Entry, Status

MAX_TITLE = Entry._meta.get_field("title").max_length
# Phones share "Worth a read https://…" as one piece of text; the link ends at a space.
_LINK_IN_TEXT = re.compile(r"https?://\S+", re.IGNORECASE)
# Punctuation that ends the sentence around a link rather than the link itself.
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"»”’"
# What joins a shared title to its link ("Capacity at night - https://…", "Title | Site:"):
# left over once the link is taken out, it is no part of the title.
_SEPARATORS = " \t\n-–—|:·•>»"


def _link_in_text(text: str) -> str:
    for match in _LINK_IN_TEXT.finditer(text):
        link = web_address(match[0].rstrip(_TRAILING_PUNCTUATION))
        if link:
            return link
    return ""


def initial_from_shared_link(query: Mapping[str, str]) -> dict[str, Any]:
    """The activity form's starting values for a link shared as ``url``, ``title`` and
    ``text`` (a share target's parameters). The link may arrive inside ``text``; with no
    title (or only the link again), what ``text`` says around the link stands in for one;
    with neither, the title stays empty and the page's own is fetched once the draft is saved.
    Empty when nothing usable was shared, so the form simply opens blank."""
    text = query.get("text", "")
    link = web_address(query.get("url", "")) or _link_in_text(text)
    title = query.get("title", "").strip()
    if not title or _LINK_IN_TEXT.fullmatch(title):  # some apps send the link as its title
        title = _LINK_IN_TEXT.sub(" ", text).strip(_SEPARATORS)
    title = " ".join(title.split())[:MAX_TITLE]
    if not (link or title):
        return {}
    initial: dict[str, Any] = {"title": title}
    if link:
        kind = guess_link_kind(link)
        initial.update(url=link, activity_type=kind.activity_type, platform=kind.platform)
    return initial


def bookmarklet(capture_link_url: str) -> str:
    """A javascript: link that, clicked on any page, opens ``capture_link_url`` (absolute, as
    the bookmark runs on other sites) in a new tab with that page's address and title."""
    script = (
        "(()=>{window.open("
        + json.dumps(f"{capture_link_url}?url=")
        + "+encodeURIComponent(location.href)+'&title='+encodeURIComponent(document.title)"
        + ",'_blank','noopener')})()"
    )
    # Browsers percent-decode a javascript: address before running it.
    return "javascript:" + script.replace("%", "%25")


@dataclass(frozen=True)
class QuickCapture:
    """What the quick-capture form asks for: enough to find the thing again and reflect on it
    later. A link alone is enough: the page's own title is fetched for it."""

    title: str
    occurred_on: dt.date
    url: str = ""
    activity_type: str = ""
    duration_minutes: int | None = None
    note: str = ""


def provisional_title(link: str) -> str:
    """The title a draft captured as a bare link carries until its page's title arrives."""
    return link[:MAX_TITLE]


def has_provisional_title(entry: Entry) -> bool:
    return bool(entry.url) and entry.title == provisional_title(entry.url)


def capture_draft(owner, client_id: uuid.UUID, fields: QuickCapture) -> tuple[Entry, bool]:
    """``owner``'s draft for ``fields``, made once per ``client_id``: a browser syncing the same
    capture again (its answer lost, or two tabs at once) gets the first draft back. Returns the
    draft and whether it was made now. The type, when not given, and the platform are guessed
    from the link.

    A link with no title is saved at once with the link as its title, and the page's own title
    is fetched in the background once the draft is committed: the save never waits on someone
    else's server."""
    kind = guess_link_kind(fields.url) if fields.url else None
    draft = Entry(
        status=Status.DRAFT,
        title=fields.title or provisional_title(fields.url),
        url=fields.url,
        occurred_on=fields.occurred_on,
        duration_minutes=fields.duration_minutes,
        what_happened=fields.note,
        activity_type=fields.activity_type or (kind.activity_type if kind else ActivityType.OTHER),
        platform=kind.platform if kind else "",
    )
    draft, created = create_once(draft, owner=owner, client_id=client_id)
    if created and has_provisional_title(draft):
        from .tasks import fetch_draft_title  # tasks import this module

        transaction.on_commit(lambda: fetch_draft_title.delay(draft.pk))
    return draft, created


def replace_provisional_title(entry_id: int, title: str) -> bool:
    """Give the draft ``entry_id`` the fetched ``title``, unless its owner has changed the
    title since (or it is gone): one conditional update, so an edit saved meanwhile always
    wins. Returns whether the title was replaced."""
    entry = Entry.objects.filter(pk=entry_id).only("owner_id", "url", "title").first()
    if not title or entry is None or not has_provisional_title(entry):
        return False
    with transaction.atomic():
        replaced = Entry.objects.filter(pk=entry_id, title=provisional_title(entry.url)).update(
            title=title[:MAX_TITLE], updated_at=timezone.now()
        )
        if replaced:
            # Her cached pages (the log, the dashboard) show the title: drawn afresh.
            renew_owner_version(entry.owner_id)
    return bool(replaced)
