"""An entry's rules, decided in one place.

The entry form, the API, quick capture and an import's review all ask ``validate_entry``
whether an entry may be saved as it stands, what it still needs to count as complete, whether
its text may identify someone who uses services, and whether the log already holds it. Each
caller only turns the answer into its own medium (a form's errors, JSON, a review note), so a
rule changed here changes everywhere at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from core.durations import MAX_MINUTES

from .confidentiality import Finding, find_identifying_details
from .link_kinds import MAX_URL_LENGTH
from .models import Entry, http_url_validator

EARLIEST_DATE = dt.date(2000, 1, 1)
REFLECTION_FIELDS = ["what_happened", "what_learned", "impact"]
# The fields whose text could carry a person's details, in the order a user reads them.
CONFIDENTIAL_TEXT_FIELDS = [
    "title",
    "what_happened",
    "what_learned",
    "impact",
    "peer_role",
    "peer_learning",
]
# Where the refusal for unconfirmed identifying details is reported.
CONFIRMATION_FIELD = "confirm_no_identifying_details"
IDENTIFYING_DETAILS = (
    "Some details look as if they could identify a person who uses services. "
    "Edit them, or tick the box to confirm they do not."
)
URL_ERROR = "Enter a web address that starts with http:// or https://."

LogTitles = Container[tuple[dt.date, str]]


def missing_for_complete(entry: Mapping[str, Any], today: dt.date) -> dict[str, str]:
    """What stops ``entry`` (its fields by their Activity names) counting as complete, as a
    message per field; empty when nothing does. A complete entry has the three parts of its
    reflection, the time spent, a date not after ``today`` and, when it was discussed with a
    peer, who and what."""
    missing = {
        name: "A complete entry needs this part of the reflection."
        for name in REFLECTION_FIELDS
        if not (entry.get(name) or "").strip()
    }
    if not entry.get("duration_minutes"):
        missing["duration_minutes"] = "Enter the time you spent."
    day = entry.get("occurred_on")
    if day and day > today:
        missing["occurred_on"] = (
            "A complete entry cannot be dated in the future: save it as a draft until it has "
            "happened."
        )
    if entry.get("is_peer_reflected"):
        if not (entry.get("peer_role") or "").strip():
            missing["peer_role"] = "Say who you discussed it with: their role, not their name."
        if not (entry.get("peer_learning") or "").strip():
            missing["peer_learning"] = "Say what you discussed and learned together."
    return missing


def identifying_details(entry: Mapping[str, Any]) -> list[Finding]:
    """Details in ``entry``'s texts that look as if they could identify a person."""
    return find_identifying_details(
        {name: entry.get(name) or "" for name in CONFIDENTIAL_TEXT_FIELDS}
    )


def _refused(entry: Mapping[str, Any]) -> dict[str, str]:
    """What no entry may hold, draft or complete."""
    refused = {}
    day = entry.get("occurred_on")
    if day and day < EARLIEST_DATE:
        refused["occurred_on"] = f"{day:%-d %B %Y} is before {EARLIEST_DATE.year}: check the year."
    minutes = entry.get("duration_minutes")
    if minutes is not None and minutes < 1:
        refused["duration_minutes"] = "Time spent must be more than zero."
    elif minutes is not None and minutes > MAX_MINUTES:
        refused["duration_minutes"] = "That is more than 24 hours; log each day as its own entry."
    return refused


def titles_in_log(owner, days: Iterable[dt.date] | None = None, *, excluding: int | None = None):
    """(day, title in lower case) of ``owner``'s entries, on ``days`` when given."""
    log = Entry.objects.for_user(owner)
    if days is not None:
        log = log.filter(occurred_on__in=set(days))
    if excluding is not None:
        log = log.exclude(pk=excluding)
    return set(log.values_list("occurred_on", Lower("title")))


@dataclass
class EntryVerdict:
    """What the rules say of one entry. ``errors`` is what stops saving it as asked (as a
    draft or complete, its details confirmed or not), by field name; ``missing`` what stops it
    counting as complete, asked or not."""

    entry: Mapping[str, Any]
    owner: Any
    refused: dict[str, str]
    missing: dict[str, str]
    complete: bool
    confirmed: bool
    log_titles: LogTitles | None = field(default=None, repr=False)

    @property
    def can_be_complete(self) -> bool:
        return not self.missing

    @cached_property
    def findings(self) -> list[Finding]:
        """Details that may identify someone: found when first asked for, since confirming
        an import of thousands of entries only asks whether each can be complete."""
        return identifying_details(self.entry)

    @property
    def findings_to_confirm(self) -> list[Finding]:
        """The findings that stop the entry being saved until the user confirms them; the
        others (names, addresses) are warnings only."""
        return [finding for finding in self.findings if finding.needs_confirmation]

    @property
    def errors(self) -> dict[str, str]:
        errors = dict(self.refused)
        if self.complete:
            errors = {**self.missing, **errors}
        if self.findings_to_confirm and not self.confirmed:
            errors[CONFIRMATION_FIELD] = IDENTIFYING_DETAILS
        return errors

    @cached_property
    def already_in_log(self) -> bool:
        """Whether the owner's log holds another entry with this title on this day: an
        import asks before proposing it; someone typing an entry knows what she is doing."""
        day, title = self.entry.get("occurred_on"), (self.entry.get("title") or "").lower()
        titles = self.log_titles
        if titles is None:
            titles = titles_in_log(self.owner, [day], excluding=self.entry.get("id"))
        return (day, title) in titles


def validate_entry(
    values: Mapping[str, Any],
    owner,
    today: dt.date,
    *,
    complete: bool,
    confirmed: bool = False,
    log_titles: LogTitles | None = None,
) -> EntryVerdict:
    """Judge ``values`` (an entry's fields by their Activity names, ``id`` for one already
    saved) as ``owner``'s entry on ``today``, to be saved complete or as a draft, its
    identifying details ``confirmed`` or not. ``log_titles`` (from ``titles_in_log``) spares a
    query per entry when many are judged at once."""
    return EntryVerdict(
        entry=values,
        owner=owner,
        refused=_refused(values),
        missing=missing_for_complete(values, today),
        complete=complete,
        confirmed=confirmed,
        log_titles=log_titles,
    )


def entry_link(text: str) -> str:
    """``text`` as the link an entry keeps: https when typed without a scheme, nothing when
    blank. Raises ValidationError for anything but an http(s) address."""
    text = text.strip()
    if not text:
        return ""
    if not urlsplit(text).scheme:
        text = f"https://{text}"
    try:
        http_url_validator(text)
    except ValidationError as error:
        raise ValidationError(URL_ERROR) from error
    if len(text) > MAX_URL_LENGTH:
        raise ValidationError(f"Keep the link to {MAX_URL_LENGTH} characters.")
    return text
