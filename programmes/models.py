"""Programmes, their cohorts and leaders; a student's consent to share; submissions frozen as
snapshots, their review and sign-off; the audit trail; notifications and reminders sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_ending_in
from core.models import OwnedQuerySet
from packs.models import EvidencePack
from portfolio.models import Entry, EntryFields

if TYPE_CHECKING:
    from core.cpd_year import CpdYear
    from core.periods import Period


class ProgrammeQuerySet(OwnedQuerySet):
    """for_user(): the programmes the user leads."""

    owner_lookup = "leaders"


class Programme(models.Model):
    """A course of study (e.g. an advanced post-qualifying programme) run by one or more leaders."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Who awards the programme: the issuer named in the credentials of its sign-offs.
    institution = models.CharField(
        "institution",
        max_length=200,
        blank=True,
        help_text="The university or employer that runs the programme. It is named as the "
        "issuer of the credential a student receives when you sign off her year; left blank, "
        "the portal's own name is used.",
    )
    institution_url = models.URLField(
        "institution's website",
        blank=True,
        help_text="Optional: its address, for example https://www.example.ac.uk/.",
    )
    leaders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="led_programmes")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", args=[self.pk])

    @property
    def issuer_name(self) -> str:
        """Who issues the programme's credentials: its institution, or this site."""
        return self.institution or settings.SITE_NAME


class CohortQuerySet(OwnedQuerySet):
    """for_user(): the cohorts of the programmes the user leads."""

    owner_lookup = "programme__leaders"


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="For example: 2026 intake.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["programme__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:cohort_overview", args=[self.pk])


class InvitationQuerySet(models.QuerySet):
    def unaccepted(self) -> InvitationQuerySet:
        """Invitations not yet used, whether or not they have expired."""
        return self.filter(accepted_at__isnull=True)

    def pending(self) -> InvitationQuerySet:
        return self.unaccepted().filter(expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An offer to join a cohort, sent to one email address. Only a hash of the token in the
    link is kept, so a copy of the database cannot be used to accept anyone's invitation."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    # The name pasted with the address ("Alice Student <alice@example.net>"), if any: it
    # greets them in the email and fills in the sign-up form.
    name = models.CharField(max_length=80, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # A student's invitations are looked up by their addresses.
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]
        constraints = [
            # An address has one unused invitation to a cohort, whatever its case: inviting
            # it again renews that one (programmes.invitations.invite). Expiry is not part of
            # the rule, as the database cannot judge "now".
            models.UniqueConstraint(
                "cohort",
                Lower("email"),
                condition=Q(accepted_at__isnull=True),
                name="invitation_unaccepted_unique_per_cohort_and_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.cohort}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class MembershipQuerySet(OwnedQuerySet):
    """for_user(): the student's own memberships."""

    owner_lookup = "student"

    def active(self) -> MembershipQuerySet:
        return self.filter(revoked_at__isnull=True)


class Membership(models.Model):
    """A student's place in a cohort, and their consent: what they share with its programme's
    leaders (the whole portfolio, or one CPD year) until they revoke it.

    When the student deletes her account (accounts/erasure.py) the row stays as the programme's
    record, without her: ``student`` empty, consent revoked, and ``erased_as`` the name its
    submissions and audit trail show instead of hers."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    # Emptied only by the erasure, which sets ``erased_as`` first: any other delete of the
    # account is refused by the constraint below rather than leaving a nameless row.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohort_memberships",
    )
    erased_as = models.CharField(
        max_length=40,
        blank=True,
        help_text="Set when the student deleted her account: the pseudonym the programme's "
        "records show instead of her name.",
    )
    shared_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The one CPD year shared, named by the calendar year it ends in; "
        "empty when the whole portfolio is shared.",
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    consented_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "student"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(student__isnull=False, erased_as="")
                | (Q(student=None, revoked_at__isnull=False) & ~Q(erased_as="")),
                name="membership_of_a_student_or_erased",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_name} in {self.cohort}"

    @property
    def student_name(self) -> str:
        """The student as the programme's records name her: her name, or after she deleted
        her account, her pseudonym."""
        return self.erased_as or str(self.student)

    @property
    def is_erased(self) -> bool:
        return self.student_id is None

    @property
    def is_sharing(self) -> bool:
        return self.revoked_at is None

    def covers(self, year: CpdYear) -> bool:
        """Whether the student's consent lets the leaders see ``year``."""
        return self.is_sharing and self.shared_year in (None, year.end.year)

    def covers_period(self, period: Period) -> bool:
        """Whether the consent covers every day of ``period``: with one CPD year shared, a pack
        reaching outside it would show the leaders entries they may not see."""
        if self.shared_year is None:
            return self.is_sharing
        year = cpd_year_ending_in(self.shared_year)
        return self.is_sharing and year.contains(period.start) and year.contains(period.end)


class SubmissionStatus(models.TextChoices):
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    SIGNED_OFF = "signed_off", "Signed off"


class Submission(models.Model):
    """A student's CPD year put to their programme for review: one per membership and year,
    holding every version submitted, the conversation about them and the outcome."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="submissions")
    year = models.PositiveSmallIntegerField(help_text="The CPD year, by the year it ends in.")
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.IN_REVIEW
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="submission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.membership.student_name}: {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:submission_detail", args=[self.pk])

    @property
    def is_signed_off(self) -> bool:
        return self.status == SubmissionStatus.SIGNED_OFF


class Snapshot(models.Model):
    """Version ``number`` of a submission: the entries as they were when it was submitted.
    Editing an entry afterwards changes the live log, never this."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="snapshots")
    number = models.PositiveSmallIntegerField()
    note = models.TextField(
        "note to your programme leader",
        blank=True,
        max_length=2000,
        help_text="Optional. For a resubmission: what you changed.",
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="snapshot_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission}, version {self.number}"


class SnapshotEntry(EntryFields):
    """A copy of one complete entry, with the entry's own fields so the regulator's checklist
    reads it as it reads the live log."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="entries")
    position = models.PositiveSmallIntegerField()
    # Only for the student's "edit the live entry" link; the leader never follows it.
    live_entry = models.ForeignKey(Entry, on_delete=models.SET_NULL, null=True, related_name="+")
    # [{"framework": "PCF", "code": "PCF5", "name": "Knowledge"}, ...]
    capabilities = models.JSONField(default=list)
    # [{"name": "certificate.pdf", "size": 12345}, ...]: names and sizes, never the files.
    evidence = models.JSONField(default=list)

    class Meta:
        ordering = ["snapshot", "position"]
        verbose_name_plural = "snapshot entries"

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A leader's comment on one entry of a version (or, with no entry, on the whole), or a
    reply to one. Comments are never edited or deleted: they are part of the record."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="comments")
    entry = models.ForeignKey(
        SnapshotEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"


class SharedPackQuerySet(models.QuerySet):
    def active(self) -> SharedPackQuerySet:
        return self.filter(revoked_at__isnull=True)


class SharedPack(models.Model):
    """An evidence pack a student chose to share with the leaders of one of her cohorts. A
    pack holds her evidence files, which consent alone never shares, so each pack is shared
    explicitly. Stopping and sharing again reuses the row; the audit trail keeps the history.
    When the student deletes her account the pack goes and the stopped share stays, pack-less,
    for its audit trail."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="shared_packs"
    )
    evidence_pack = models.ForeignKey(
        EvidencePack, on_delete=models.SET_NULL, null=True, related_name="shares"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SharedPackQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "evidence_pack"], name="shared_pack_unique"
            ),
            models.CheckConstraint(
                condition=Q(evidence_pack__isnull=False) | Q(revoked_at__isnull=False),
                name="shared_pack_without_its_pack_is_stopped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_pack or 'A deleted pack'} shared with {self.membership.cohort}"

    @property
    def is_shared(self) -> bool:
        return self.revoked_at is None


class AuditAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RESUBMITTED = "resubmitted", "Resubmitted"
    COMMENTED = "commented", "Commented"
    REPLIED = "replied", "Replied"
    CHANGES_REQUESTED = "changes_requested", "Requested changes"
    SIGNED_OFF = "signed_off", "Signed off"
    SIGN_OFF_REVOKED = "sign_off_revoked", "Revoked the sign-off"
    PACK_SHARED = "pack_shared", "Shared an evidence pack"
    PACK_UNSHARED = "pack_unshared", "Stopped sharing an evidence pack"
    PACK_DOWNLOADED = "pack_downloaded", "Downloaded an evidence pack"
    # A student's consent (a membership's events).
    JOINED = "joined", "Joined the cohort"
    SHARING_STARTED = "sharing_started", "Started sharing again"
    SHARING_CHANGED = "sharing_changed", "Changed what is shared"
    SHARING_STOPPED = "sharing_stopped", "Stopped sharing"
    ACCOUNT_DELETED = "account_deleted", "Deleted their account"


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The audit trail cannot be changed.")

    def erase_personal_data(self, **fields) -> int:
        """The one change the trail allows, made only by the erasure of an account
        (accounts/erasure.py): her name and her words in it are replaced. What happened, by
        which side and when, stays."""
        return super().update(**fields)


class AuditEvent(models.Model):
    """One thing that happened to a submission, to a shared evidence pack or to a student's
    consent (a membership), by whom and when. Append-only: rows are added, never changed or
    removed, so both sides can trust what it says."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    # The submission's version; none for an evidence pack's events.
    version = models.PositiveSmallIntegerField(null=True, blank=True)
    shared_pack = models.ForeignKey(
        "SharedPack", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    submission__isnull=False,
                    version__isnull=False,
                    shared_pack=None,
                    membership=None,
                )
                | Q(submission=None, version=None, shared_pack__isnull=False, membership=None)
                | Q(submission=None, version=None, shared_pack=None, membership__isnull=False),
                name="audit_event_of_a_submission_a_pack_or_a_membership",
            )
        ]

    def __str__(self) -> str:
        what = f"{self.actor_name} {self.get_action_display().lower()}"
        return what if self.version is None else f"{what} (version {self.version})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail cannot be changed.")


class SignOff(models.Model):
    """The leader's signature on one version of a submission."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="sign_off")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, help_text="For example: Programme leader.")
    signed_on = models.DateField("date")
    statement = models.TextField(
        max_length=1000, help_text="A short statement, for example what the work shows."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A leader may revoke a sign-off, saying why; the row stays, as the record of both.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at=None, revocation_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="signoff_revoked_with_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Signed off by {self.name} on {self.signed_on:%-d %B %Y}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class NotificationKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    SUBMISSION = "submission", "Submission"
    COMMENT = "comment", "Comment"
    DECISION = "decision", "Decision"
    REMINDER = "reminder", "Reminder"
    PACK = "pack", "Evidence pack"
    SHARING = "sharing", "Sharing"


class NotificationQuerySet(OwnedQuerySet):
    owner_lookup = "user"

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a user should know about, listed in the app and emailed to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, help_text="A path on this site.")
    # The submission it is about, if any: the notifications page shows one row per
    # submission, and opening the submission marks them read.
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # Marking one submission's notifications read: user and submission given, unread.
            models.Index(
                fields=["user", "submission", "read_at"], name="notification_submission_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("programmes:notification_open", args=[self.pk])


class ReminderSent(models.Model):
    """A deadline reminder that went out; unique per point of a period, so no one gets the
    same one twice. ``period_end`` is the last day of the registration period (or CPD year)
    it was about: each practitioner's own, under her regulator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_end = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period_end", "days_before"], name="reminder_sent_once_a_period"
            )
        ]
        # The day's run asks "who already had this point of this period?"
        indexes = [
            models.Index(fields=["period_end", "days_before"], name="reminder_sent_point_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.days_before} days before {self.period_end}"
