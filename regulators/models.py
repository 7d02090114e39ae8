"""Who regulates a practitioner, since when, and what she has confirmed for a period. The rules
themselves are data (regulators/data/regulators.toml), never rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import OwnedQuerySet

from .profiles import DEFAULT_REGULATOR, regulator_choices


class Registration(models.Model):
    """A practitioner's regulator and the date she was first registered with it. No row reads
    as Social Work England, whose year is the same for everyone. Changing regulator changes this
    row only: entries, confirmations and packs made under another regulator stay."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration"
    )
    regulator = models.CharField(
        max_length=12, choices=regulator_choices, default=DEFAULT_REGULATOR
    )
    registered_on = models.DateField(
        "date of first registration",
        null=True,
        blank=True,
        help_text="On your registration certificate or your regulator's online account. Your "
        "renewal or declaration dates run from it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.regulator}"


class Confirmation(models.Model):
    """A statement a regulator asks a practitioner to confirm for one period (Social Care
    Wales's renewal confirmation, NISCC's agreed learning plan, the SSSC's annual declaration),
    confirmed by her in the portal on ``confirmed_at``."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    regulator = models.CharField(max_length=12)
    rule = models.CharField(max_length=60, help_text="The key of the rule in the data file.")
    statement = models.TextField(help_text="The words confirmed, as the data file had them.")
    period_start = models.DateField()
    period_end = models.DateField()
    confirmed_at = models.DateTimeField()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "regulator", "rule", "period_end"],
                name="confirmation_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="confirmation_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.regulator} {self.rule} {self.period_end}"
