"""A copy of everything a user keeps here, built in the background and kept until it expires."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.file_stores import export_storage
from core.models import BackgroundWork, progress_is_a_percentage, unfinished_work_index


class AccountExport(BackgroundWork):
    """ "Download everything": one ZIP of the owner's whole account (account_data/export.py),
    built by a worker, kept in private storage until it expires. Its id is in its address, so
    it is random: no one learns how many exports others made."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the owner's index below starts with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_exports",
        db_index=False,
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(max_length=255, blank=True, storage=export_storage)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [progress_is_a_percentage("account_export_progress_is_a_percentage")]
        indexes = [
            unfinished_work_index("account_export_unfinished_idx"),
            models.Index(fields=["state", "expires_at"], name="account_export_expiry_idx"),
            # The profile page reads her latest export.
            models.Index(fields=["owner", "-created_at"], name="account_export_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"Account export of {self.created_at:%Y-%m-%d %H:%M}"
