"""An import staged for review: the batch, its proposed entries and their attached files."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.file_stores import import_storage
from core.models import (
    BackgroundWork,
    OwnedQuerySet,
    WorkState,
    progress_is_a_percentage,
    unfinished_work_index,
)
from portfolio.models import Entry, EntryFields, http_url_validator

# --- Imports, staged for review ------------------------------------------------------------


class ImportSource(models.TextChoices):
    X = "x", "X/Twitter archive"
    MASTODON = "mastodon", "Mastodon archive"
    FEED = "feed", "Blog feed (RSS or Atom)"
    CSV = "csv", "Spreadsheet (CSV)"
    LEAP2A = "leap2a", "Leap2A (Mahara, PebblePad)"


def import_upload_path(batch: ImportBatch, filename: str) -> str:
    # A random name, as for evidence: the uploaded name is kept in a column only.
    suffix = PurePath(filename).suffix.lower()
    return f"imports/{batch.owner_id}/{uuid.uuid4().hex}{suffix}"


class ImportBatch(BackgroundWork):
    """One import: a file (or a feed's address) that a worker stages as proposed entries
    (StagedEntry) for the owner to review. Nothing reaches her log until she confirms it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports"
    )
    source = models.CharField(max_length=20, choices=ImportSource.choices)
    original_name = models.CharField(max_length=255, blank=True)
    feed_url = models.URLField(max_length=500, blank=True, validators=[http_url_validator])
    # A feed of her own blog ("blog post written") or someone else's ("blog post read").
    own_feed = models.BooleanField(default=True)
    # Kept privately until it is staged, then deleted: the staged entries hold what it gave.
    file = models.FileField(
        max_length=255, blank=True, upload_to=import_upload_path, storage=import_storage
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    # The parser's reason for refusing the file: the work is done, but nothing was staged.
    rejection = models.CharField(max_length=500, blank=True)
    proposed_count = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(null=True, blank=True)

    doing = "read this import"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"
        constraints = [progress_is_a_percentage("import_progress_is_a_percentage")]
        indexes = [unfinished_work_index("import_unfinished_idx")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def name(self) -> str:
        """What was imported, as the owner would recognise it."""
        return self.original_name or self.feed_url

    @property
    def is_reviewable(self) -> bool:
        """Staged, and neither refused nor confirmed yet."""
        return self.state == WorkState.DONE and not self.rejection and self.confirmed_at is None


class StagedEntryQuerySet(OwnedQuerySet):
    owner_lookup = "batch__owner"

    def importable(self) -> StagedEntryQuerySet:
        """Entries the log does not hold yet: ticked or not, confirming could create them."""
        return self.filter(already_in_log=False, repeated=False)


class StagedEntry(EntryFields):
    """One entry an import proposes, as the owner will confirm it: she may untick or edit it
    first. Capabilities and tags stay as the file named them until the confirmation resolves
    them."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    include = models.BooleanField(default=True)
    # The owner's log has an entry from the same source item (an earlier import).
    already_in_log = models.BooleanField(default=False)
    # The same source item appears earlier in this file.
    repeated = models.BooleanField(default=False)
    source_key = models.CharField(max_length=255)
    capability_codes = models.JSONField(default=list, blank=True)
    tag_names = models.JSONField(default=list, blank=True)
    # What staging had to change or leave out (a link that was not a web address, a file of a
    # type we do not keep), shown beside the entry.
    notes = models.JSONField(default=list, blank=True)
    logged_entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StagedEntryQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "staged entries"
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="staged_entry_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def importable(self) -> bool:
        return not (self.already_in_log or self.repeated)


class StagedAttachment(models.Model):
    """A file that came with a staged entry, already checked as evidence, kept privately
    until the import is confirmed (it becomes Evidence) or discarded."""

    entry = models.ForeignKey(StagedEntry, on_delete=models.CASCADE, related_name="attachments")
    # Named by imports/staging.py when staging, under a random name like evidence.
    file = models.FileField(max_length=255, storage=import_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
