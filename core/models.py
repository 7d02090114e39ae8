"""Abstract models and querysets several apps build on: data owned by one user, and background
work recorded as rows; and the rules several models declare."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import Exact

from .periods import Period


class OwnedQuerySet(models.QuerySet):
    """The one way to read a user's data: everything outside for_user() is someone else's."""

    owner_lookup = "owner"

    def for_user(self, user) -> OwnedQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_lookup: user})


# --- Background work, recorded as rows -------------------------------------------------------


class WorkState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class BackgroundWork(models.Model):
    """A piece of background work recorded as a row. The database, not the broker, is the
    record: a task only carries the row's id, and a row the broker lost is found again by its
    state and heartbeat (see core/background.py)."""

    state = models.CharField(max_length=10, choices=WorkState.choices, default=WorkState.QUEUED)
    # Set when the row is queued, claimed, and at each step of the work: a queued or running
    # row whose heartbeat is old has lost its message or its worker.
    heartbeat_at = models.DateTimeField(auto_now_add=True)
    # Each claim increments it; only the claim holding the latest attempt may finish the work.
    attempts = models.PositiveSmallIntegerField(default=0)
    # ``attempts`` when the owner last asked to try again: the cap (WORK_MAX_ATTEMPTS) counts
    # from here, while ``attempts`` only ever rises, so a claim from before the retry can never
    # pass for one after it.
    attempts_at_retry = models.PositiveSmallIntegerField(default=0)
    # In plain words, for the owner: why the last attempt failed, then why the work gave up.
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    # What the work does, for the reason a failed row gives ("… could not build this pack").
    doing = "finish this work"

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.state in (WorkState.QUEUED, WorkState.RUNNING)


class WorkOnAPeriod(BackgroundWork):
    """Background work about the entries of one period: a summary or an evidence pack."""

    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


# --- Rules and indexes the models of background work declare ----------------------------------


def unfinished_work_index(name: str) -> models.Index:
    """What the periodic re-queue reads (core.background.requeue_stuck): queued or running rows
    by heartbeat. Finished work, nearly every row in time, stays out of the index."""
    return models.Index(
        fields=["heartbeat_at"],
        condition=Q(state__in=[WorkState.QUEUED, WorkState.RUNNING]),
        name=name,
    )


def period_in_order(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name=name)


def progress_is_a_percentage(name: str) -> models.CheckConstraint:
    # The field is positive, so the database already refuses anything below 0.
    return models.CheckConstraint(condition=Q(progress__lte=100), name=name)


# --- Text the database can judge as Python does ----------------------------------------------

# Every character str.isspace() calls whitespace: what str.strip(), and so every check in Python
# that a text was written, removes.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class Stripped(Func):
    """A text without the whitespace str.strip() removes at either end. TRIM(text, characters)
    reads the same on SQLite and PostgreSQL; Django's Trim removes only spaces."""

    function = "TRIM"
    output_field = models.TextField()

    def __init__(self, expression, **extra) -> None:
        super().__init__(expression, Value(WHITESPACE), **extra)


def has_text(field: str) -> Q:
    """``field`` holds more than whitespace, as ``value.strip()`` says in Python."""
    return ~Q(Exact(Stripped(field), ""))


# --- Emails owed -----------------------------------------------------------------------------


class OutgoingEmail(models.Model):
    """An email something owes, written in the same transaction as the change that owes it, so
    it is neither sent for a change rolled back nor lost with a broker message: a task sends it
    on commit, and the periodic sweep (core.outbox) sends what is still unsent after a while.
    Each is owed once: one per kind, object and recipient."""

    kind = models.CharField(max_length=40)
    # The object it is about, as "app_label.model:pk" (plus anything that makes it a different
    # email about the same object: an invitation's renewed link).
    about = models.CharField(max_length=200)
    recipient = models.EmailField()
    subject = models.CharField(max_length=200)
    # Emptied once sent: an invitation's body carries a link that works as a password, and only
    # its hash is kept anywhere else.
    body = models.TextField()
    # The HTML alternative, when the email has one (allauth's, if a template renders one);
    # emptied once sent, as the body is.
    html_body = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a sender takes it (a conditional UPDATE, so one sender at a time); a claim older
    # than EMAIL_RESEND_AFTER_SECONDS belonged to a sender that died.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "about", "recipient"], name="outgoing_email_owed_once"
            )
        ]
        indexes = [
            # What the sweep reads: unsent emails by age. Sent ones, nearly all, stay out.
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="outgoing_unsent_idx"
            ),
            # What an account's deletion reads: every email to its address, sent or not.
            models.Index(fields=["recipient"], name="outgoing_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}"
