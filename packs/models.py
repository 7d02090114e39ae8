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
from core.site import absolute_url
from portfolio.models import Entry
from regulators.profiles import DEFAULT_REGULATOR


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
    # Her regulator and registration date when the pack was requested: its renewal sheet and
    # its regulator's section follow them, so a later change does not rewrite an old pack.
    regulator = models.CharField(max_length=12, default=DEFAULT_REGULATOR)
    registered_on = models.DateField(null=True, blank=True)
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

    def verify_url(self) -> str:
        """The public check's full address, as the pack page, the PDF and the email give it:
        it is read off paper and typed in, so never a path alone."""
        return absolute_url(reverse("packs:verify", args=[self.pk]))


class PackFile(models.Model):
    """A file inside a built evidence pack, as its manifest lists it: what /verify/ looks an
    upload up by, so that the PDF alone (or any other file) is recognised, not only the ZIP.
    Written in the transaction that marks the pack done; kept after the ZIP expires."""

    evidence_pack = models.ForeignKey(EvidencePack, on_delete=models.CASCADE, related_name="files")
    path = models.TextField()  # as in the ZIP: "portfolio.pdf", "evidence/12/34-notes.pdf"
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence_pack", "path"], name="pack_file_path_unique"),
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="pack_file_sha256_is_hex",
            ),
        ]
        # By hash first: an upload is looked up by its hash within one pack, and could be
        # across packs, never by reading every pack's files.
        indexes = [models.Index(fields=["sha256", "evidence_pack"], name="pack_file_sha256_idx")]

    def __str__(self) -> str:
        return self.path
