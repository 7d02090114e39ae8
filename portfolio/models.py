from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.file_stores import evidence_storage
from core.models import OwnedQuerySet, has_text

if TYPE_CHECKING:
    from core.cpd_year import CpdYear


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


class EntryQuerySet(OwnedQuerySet):
    def complete(self) -> EntryQuerySet:
        return self.filter(status=Status.COMPLETE)

    def drafts(self) -> EntryQuerySet:
        return self.filter(status=Status.DRAFT)

    def in_year(self, year: CpdYear) -> EntryQuerySet:
        return self.filter(occurred_on__range=(year.start, year.end))

    def search(self, text: str, owner) -> EntryQuerySet:
        """Every word must appear somewhere in the entry: title, reflection, peer discussion,
        hashtag or one of ``owner``'s tags. A user's own log is small, so a plain
        contains-match is both fast enough and predictable on SQLite and PostgreSQL alike.
        A tag matches through EXISTS, not a join, so an entry is found once without DISTINCT
        over its long texts; the tag is looked up among the owner's, since PostgreSQL may
        answer the EXISTS for every row at once, from every link to a tag of that name."""
        for word in text.split():
            tagged = Entry.tags.through.objects.filter(
                entry=OuterRef("pk"), tag__owner=owner, tag__name__iexact=word
            )
            self = self.filter(
                Q(title__icontains=word)
                | Q(what_happened__icontains=word)
                | Q(what_learned__icontains=word)
                | Q(impact__icontains=word)
                | Q(peer_learning__icontains=word)
                | Q(hashtag__icontains=word.lstrip("#"))
                | Exists(tagged)
            )
        return self


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

    def entry_values(self) -> dict[str, Any]:
        """What this says of its piece of CPD, by field name: to copy it to another kind of
        entry (a proposed one into the log, a live one into a snapshot)."""
        return {field.name: getattr(self, field.name) for field in EntryFields._meta.fields}


class Entry(EntryFields):
    """One piece of CPD with its reflection (What? So what? Now what?)."""

    # No index of its own: every index below starts with the owner, and one more to update
    # made each entry written, an import's thousands above all, cost more.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    capabilities = models.ManyToManyField(Capability, blank=True, related_name="entries")
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    resource = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
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

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["owner", "status", "occurred_on"]),
            # The log's order (portfolio.log.with_list_details): a page is read off the owner's
            # rows in order, and counting them reads the index alone.
            models.Index(
                fields=["owner", "-occurred_on", "-created_at", "-id"], name="entry_log_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "client_id"], name="entry_client_id_unique_per_owner"
            ),
            models.UniqueConstraint(
                fields=["owner", "source_key"],
                condition=~Q(source_key=""),
                name="entry_source_key_unique_per_owner",
            ),
            # The core of portfolio.entry_rules.missing_for_complete, which every way in (the
            # form, the API, an import) asks, held for rows written any other way too. A date
            # not yet reached is judged against the day, so it stays with that function.
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETE)
                | (
                    has_text("what_happened")
                    & has_text("what_learned")
                    & has_text("impact")
                    & Q(duration_minutes__isnull=False, duration_minutes__gt=0)
                ),
                name="complete_entry_has_reflection_and_time",
                violation_error_message="A complete entry needs the three parts of its "
                "reflection and the time spent: save it as a draft until it has them.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:entry_detail", args=[self.pk])

    @property
    def is_complete(self) -> bool:
        return self.status == Status.COMPLETE

    @property
    def has_reflection(self) -> bool:
        return all(t.strip() for t in (self.what_happened, self.what_learned, self.impact))


class EvidenceQuerySet(OwnedQuerySet):
    owner_lookup = "entry__owner"


def evidence_upload_path(evidence: Evidence, filename: str) -> str:
    # A random name: the original is kept in a column, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{evidence.entry.owner_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(
        upload_to=evidence_upload_path, max_length=255, storage=evidence_storage
    )
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


class PendingEvidenceQuerySet(OwnedQuerySet):
    def held_for(self, token: str) -> PendingEvidenceQuerySet:
        return self.filter(token=token)


def pending_evidence_path(pending: PendingEvidence, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"pending-evidence/{pending.owner_id}/{uuid.uuid4().hex}{suffix}"


class PendingEvidence(models.Model):
    """A file chosen on an entry's form that came back with an error, checked as evidence is
    and held against the form's token (a hidden field), so the form shows it again instead of
    losing it. Saving the entry makes it evidence; a form abandoned leaves it to the sweep
    (core/leftovers.py) after PENDING_EVIDENCE_KEEP_SECONDS."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    file = models.FileField(
        upload_to=pending_evidence_path, max_length=255, storage=evidence_storage
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PendingEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "pending evidence"
        indexes = [models.Index(fields=["owner", "token", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(token=""), name="pending_evidence_has_token")
        ]

    def __str__(self) -> str:
        return self.original_name


class YearTally(models.Model):
    """One practitioner's complete entries of one CPD year, counted: what the cohort overview
    shows for each of hundreds of students without reading their entries. Written only by
    portfolio.tallies, in the same transaction as the entries it counts."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The calendar year the CPD year ends in.")
    entries = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    last_entry = models.DateField()
    # The regulator's checklist (portfolio.checklist.ChecklistCounts), counted over every
    # complete entry of the year.
    different_entries = models.PositiveIntegerField()
    peer_reflected = models.PositiveIntegerField()
    duplicates = models.JSONField(default=list, help_text="[[title, copies], ...]")
    # {capability id: entries mapped to it}
    capability_entries = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="year_tally_unique_per_owner"),
            models.CheckConstraint(
                condition=Q(entries__gt=0)
                & Q(different_entries__lte=models.F("entries"))
                & Q(peer_reflected__lte=models.F("entries")),
                name="year_tally_counts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.year}"
