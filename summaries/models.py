"""A reflective summary: one generated version of a period's summary, then edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import WorkOnAPeriod, period_in_order, unfinished_work_index


class ReflectiveSummary(WorkOnAPeriod):
    """One generated version of a reflective summary of a period. Generating is a request
    (this row, queued) that a worker fills in; the practitioner then edits ``text``."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflective_summaries"
    )
    version = models.PositiveIntegerField()
    # SHA-256 of the period, every included entry's id and updated_at, and the frameworks:
    # the same inputs never produce a second summary.
    input_hash = models.CharField(max_length=64)
    facts = models.JSONField(default=dict, blank=True)
    draft_text = models.TextField(blank=True)
    text = models.TextField("summary", blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    doing = "write this summary"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "reflective summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "input_hash"], name="summary_inputs_unique_per_owner"
            ),
            models.UniqueConstraint(
                fields=["owner", "period_start", "period_end", "version"],
                name="summary_version_unique_per_period",
            ),
            period_in_order("summary_period_in_order"),
        ]
        indexes = [unfinished_work_index("summary_unfinished_idx")]

    def __str__(self) -> str:
        return f"Summary {self.period_start}–{self.period_end} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("summaries:detail", args=[self.pk])
