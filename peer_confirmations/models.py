"""A colleague's confirmation of the peer discussion an entry records: asked for by the entry's
owner with a link emailed to one address, answered by the colleague without an account."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import OwnedQuerySet, has_text
from portfolio.models import Entry


class PeerConfirmationQuerySet(OwnedQuerySet):
    owner_lookup = "entry__owner"

    def unanswered(self) -> PeerConfirmationQuerySet:
        """Neither answered nor withdrawn, whether or not the link has expired."""
        return self.filter(answered_at__isnull=True, withdrawn_at__isnull=True)

    def open(self) -> PeerConfirmationQuerySet:
        """Links that can still be answered."""
        return self.unanswered().filter(expires_at__gt=timezone.now())

    def shown(self) -> PeerConfirmationQuerySet:
        """Answers the owner keeps on show: on the entry, to leaders, in packs."""
        return self.filter(answered_at__isnull=False, removed_at__isnull=True)

    def of_current_text(self) -> PeerConfirmationQuerySet:
        """Answers given to the peer discussion as the entry says it now."""
        return self.filter(confirmed_text=F("entry__peer_learning"))


class PeerConfirmation(models.Model):
    """One request to one colleague's address and, once they answer, their answer. Only a
    hash of the link's token is kept, so a copy of the database answers no request. The text
    the colleague read is kept with their answer: the entry may be edited afterwards, and the
    answer then refers to an earlier version (compared when shown, see ``is_of_earlier_text``)."""

    # No index of its own: the index below starts with the entry, in the order its page lists.
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="peer_confirmations", db_index=False
    )
    email = models.EmailField("your colleague's email address")
    note = models.CharField(
        "a short note to them",
        max_length=500,
        blank=True,
        help_text="Optional. Sent in the email, e.g. where and when you talked.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Addresses typed on the link's page that were not the one it was sent to: past
    # MAX_WRONG_ADDRESSES the link stops working, so the address cannot be guessed at.
    wrong_addresses = models.PositiveSmallIntegerField(default=0)

    # The answer.
    answered_at = models.DateTimeField(null=True, blank=True)
    name = models.CharField("your name", max_length=120, blank=True)
    role = models.CharField("your role", max_length=120, blank=True)
    registration_number = models.CharField("your registration number", max_length=20, blank=True)
    # Empty: "a fair account of our discussion"; otherwise the colleague's correction.
    correction = models.TextField(max_length=4000, blank=True)
    confirmed_text = models.TextField(blank=True)
    # The owner chose not to show this answer any more.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = PeerConfirmationQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["entry", "requested_at"])]
        constraints = [
            # An address has one unanswered request per entry, whatever its case: asking again
            # renews it (peer_confirmations.requests).
            models.UniqueConstraint(
                "entry",
                Lower("email"),
                condition=Q(answered_at__isnull=True, withdrawn_at__isnull=True),
                name="peer_confirmation_unanswered_unique_per_address",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="peer_confirmation_answered_or_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | (has_text("name") & has_text("role") & has_text("confirmed_text")),
                name="peer_confirmation_answer_says_who",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | Q(answered_at__isnull=False),
                name="peer_confirmation_removed_only_once_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} on {self.entry_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None and not self.is_expired

    @property
    def is_correction(self) -> bool:
        return bool(self.correction)

    def is_of_earlier_text(self, current_text: str) -> bool:
        """Whether the colleague answered a version of the discussion other than
        ``current_text`` (the entry's now, or a submitted copy's)."""
        return self.confirmed_text != current_text
