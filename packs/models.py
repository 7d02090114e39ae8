"""An evidence pack, built in the background and kept until it expires."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.file_stores import export_storage
from core.models import (
    WorkOnAPeriod,
    period_in_order,
    progress_is_a_percentage,
    unfinished_work_index,
)
from portfolio.models import Entry


class EvidencePack(WorkOnAPeriod):
    """An evidence pack: a ZIP built in the background for a period or a selection of
    entries, kept in private storage until it expires. Its id is public: /verify/<id>/."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence_packs"
    )
    # A selection includes only the ``selected`` complete entries (its period runs from the
    # first to the last); otherwise every complete entry in the period.
    by_selection = models.BooleanField(default=False)
    # The owner's name when the pack was requested, as /verify/ shows it: a later change of
    # name does not rewrite who exported a pack already handed to someone.
    exporter_name = models.CharField(max_length=120, blank=True)
    selected = models.ManyToManyField(Entry, blank=True, related_name="+")
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(max_length=255, blank=True, storage=export_storage)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    entry_count = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    doing = "build this evidence pack"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            period_in_order("pack_period_in_order"),
            progress_is_a_percentage("pack_progress_is_a_percentage"),
        ]
        indexes = [
            unfinished_work_index("pack_unfinished_idx"),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"Evidence pack {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("packs:detail", args=[self.pk])
