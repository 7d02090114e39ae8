from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from .periods import Period

if TYPE_CHECKING:
    from .cpd_year import CpdYear


class Framework(models.Model):
    """A set of capabilities a practitioner can map learning to (the PCF, the regulator's
    professional standards, an employer's framework). Seeded from data, never from code."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=160)
    short_name = models.CharField(max_length=20)
    description = models.TextField(blank=True)
    source_url = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Capability(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="capabilities")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="capability_code_unique")
        ]
        verbose_name_plural = "capabilities"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OwnedQuerySet(models.QuerySet):
    """The one way to read a user's data: everything outside for_user() is someone else's."""

    owner_lookup = "owner"

    def for_user(self, user) -> OwnedQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_lookup: user})


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=50)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="tag_name_unique_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class ActivityType(models.TextChoices):
    TWEET_READ = "tweet_read", "Tweet or thread read"
    LIVE_CHAT = "live_chat", "Live chat joined"
    BLOG_READ = "blog_read", "Blog post read"
    BLOG_WRITTEN = "blog_written", "Blog post written"
    FORUM = "forum", "Forum or community discussion"
    WEBINAR = "webinar", "Webinar or e-learning"
    COURSE = "course", "Course, workshop or conference"
    READING = "reading", "Journal article, book or report"
    PEER_DISCUSSION = "peer_discussion", "Peer discussion or supervision"
    OTHER = "other", "Other"


class Platform(models.TextChoices):
    X = "x", "X/Twitter"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    BLOG = "blog", "A blog"
    FORUM = "forum", "A forum or community"
    PODCAST = "podcast", "A podcast"
    WEBSITE = "website", "A website or e-learning platform"
    VIDEO_CALL = "video_call", "Video call"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETE = "complete", "Complete"


class ActivityQuerySet(OwnedQuerySet):
    def complete(self) -> ActivityQuerySet:
        return self.filter(status=Status.COMPLETE)

    def drafts(self) -> ActivityQuerySet:
        return self.filter(status=Status.DRAFT)

    def in_year(self, year: CpdYear) -> ActivityQuerySet:
        return self.filter(occurred_on__range=(year.start, year.end))

    def search(self, text: str) -> ActivityQuerySet:
        """Every word must appear somewhere in the entry: title, reflection, peer discussion,
        hashtag or a tag. A user's own log is small, so a plain contains-match is both fast
        enough and predictable on SQLite and PostgreSQL alike."""
        for word in text.split():
            self = self.filter(
                Q(title__icontains=word)
                | Q(what_happened__icontains=word)
                | Q(what_learned__icontains=word)
                | Q(impact__icontains=word)
                | Q(peer_learning__icontains=word)
                | Q(hashtag__icontains=word.lstrip("#"))
                | Q(tags__name__iexact=word)
            )
        return self.distinct()


http_url_validator = URLValidator(schemes=["http", "https"])


class EntryFields(models.Model):
    """What a practitioner writes about one piece of CPD: shared by the entry in her log and
    an entry an import proposes, so the two can never disagree on a field."""

    activity_type = models.CharField("type", max_length=20, choices=ActivityType.choices)
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True, validators=[http_url_validator])
    occurred_on = models.DateField("date")
    duration_minutes = models.PositiveIntegerField("time spent (minutes)", null=True, blank=True)
    hashtag = models.CharField(max_length=60, blank=True)

    what_happened = models.TextField("What happened?", blank=True)
    what_learned = models.TextField("What did I learn?", blank=True)
    impact = models.TextField(
        "What will I do differently, and what difference does it make to the people I work with?",
        blank=True,
    )

    is_peer_reflected = models.BooleanField("I discussed this with a peer", default=False)
    peer_role = models.CharField(
        "the peer's role",
        max_length=120,
        blank=True,
        help_text="Their role, not their name: e.g. team manager, fellow AMHP, practice educator.",
    )
    peer_learning = models.TextField("what we discussed and what I learned from it", blank=True)

    class Meta:
        abstract = True


class Activity(EntryFields):
    """One piece of CPD with its reflection (What? So what? Now what?)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    capabilities = models.ManyToManyField(Capability, blank=True, related_name="activities")
    tags = models.ManyToManyField(Tag, blank=True, related_name="activities")
    resource = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text="The library resource this entry was logged from, if any.",
    )

    # Made by the browser or an API client before the entry first reaches us: a capture
    # synced twice, or a request retried after a lost response, finds the entry it made.
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    # Where an imported entry came from ("x:tweet:1234", "feed:<guid>"): importing the same
    # file again proposes nothing that is already in the log.
    source_key = models.CharField(max_length=255, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["owner", "status", "occurred_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "client_id"], name="activity_client_id_unique_per_owner"
            ),
            models.UniqueConstraint(
                fields=["owner", "source_key"],
                condition=~Q(source_key=""),
                name="activity_source_key_unique_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:activity_detail", args=[self.pk])

    @property
    def is_complete(self) -> bool:
        return self.status == Status.COMPLETE

    @property
    def has_reflection(self) -> bool:
        return all(t.strip() for t in (self.what_happened, self.what_learned, self.impact))


class EvidenceQuerySet(OwnedQuerySet):
    owner_lookup = "activity__owner"


def evidence_upload_path(evidence: Evidence, filename: str) -> str:
    # A random name: the original is kept in a column, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{evidence.activity.owner_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:evidence_download", args=[self.pk])


# --- Background work: reflective summaries and evidence exports ----------------------------


class WorkState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class BackgroundWork(models.Model):
    """A piece of background work recorded as a row. The database, not the broker, is the
    record: a task only carries the row's id, and a row the broker lost is found again by its
    state and heartbeat (see portfolio/background.py)."""

    state = models.CharField(max_length=10, choices=WorkState.choices, default=WorkState.QUEUED)
    # Set when the row is queued, claimed, and at each step of the work: a queued or running
    # row whose heartbeat is old has lost its message or its worker.
    heartbeat_at = models.DateTimeField(auto_now_add=True)
    # Each claim increments it; only the claim holding the latest attempt may finish the work.
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

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
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"Summary {self.period_start}–{self.period_end} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:summary_detail", args=[self.pk])


class ExportRequest(WorkOnAPeriod):
    """An evidence pack: a ZIP built in the background for a period or a selection of
    entries, kept in private storage until it expires. Its id is public: /verify/<id>/."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    # A selection includes only the ``selected`` complete entries (its period runs from the
    # first to the last); otherwise every complete entry in the period.
    by_selection = models.BooleanField(default=False)
    selected = models.ManyToManyField(Activity, blank=True, related_name="+")
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    entry_count = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"Evidence pack {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:export_detail", args=[self.pk])


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
    file = models.FileField(max_length=255, blank=True, upload_to=import_upload_path)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    # The parser's reason for refusing the file: the work is done, but nothing was staged.
    rejection = models.CharField(max_length=500, blank=True)
    proposed_count = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:import_detail", args=[self.pk])

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
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
    # Named by portfolio/imports.py when staging, under a random name like evidence.
    file = models.FileField(max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
