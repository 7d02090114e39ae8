from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Lower
from django.urls import reverse

from accounts.models import time_zone_choices
from core.models import OwnedQuerySet
from portfolio.models import Capability, Platform, http_url_validator

# What full-text search matches: a title match weighs more (A) than one in the rest (B).
# Resource.search_vector stores it, so a search neither parses the texts again nor ranks
# more than it reads; migration 0002 indexes that column with GIN on PostgreSQL (not in
# Meta.indexes: SQLite could not create such an index).
SEARCH_CONFIG = "english"
SEARCH_VECTOR = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
    "summary", "source", "hashtag", weight="B", config=SEARCH_CONFIG
)


class OnPostgreSQL(Func):
    """Its expression on PostgreSQL, NULL elsewhere. SQLite, the laptop default, has no
    full-text search to compute: the library searches there with a contains-match."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


class Publication(models.TextChoices):
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"
    # Only a curated list starts here: it is built up item by item before anyone sees it.
    DRAFT = "draft", "Not published yet"


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publication.PUBLISHED)


class ResourceKind(models.TextChoices):
    BLOG = "blog", "Blog"
    ARTICLE = "article", "Journal article or report"
    POLICY = "policy", "Policy and guidance"
    SOCIAL_ACCOUNT = "social_account", "Social media account"
    HASHTAG = "hashtag", "Hashtag or chat"
    COMMUNITY = "community", "Community or forum"
    WEBINAR = "webinar", "Webinar or e-learning"
    PODCAST = "podcast", "Podcast"
    BOOK = "book", "Book"


class ResourceTag(models.Model):
    """A curator's label for resources (shared by everyone, unlike a practitioner's own tags)."""

    name = models.CharField(max_length=50)

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), name="resource_tag_name_unique")]

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(PublishedQuerySet):
    def with_broken_links(self) -> ResourceQuerySet:
        return self.filter(link_failures__gte=settings.LINK_CHECK_FAILURES_BEFORE_BROKEN)


class Resource(models.Model):
    """Something worth learning from, chosen by a curator: a blog, an article, an account to
    follow, a community. Retired resources leave the library but keep their page, because
    practitioners' entries may point at them."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    url = models.URLField("link", max_length=500, validators=[http_url_validator])
    summary = models.TextField(
        blank=True, help_text="What it is and why it is worth a practitioner's time. Markdown."
    )
    source = models.CharField("author or publisher", max_length=160, blank=True)
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    hashtag = models.CharField(max_length=60, blank=True)
    capabilities = models.ManyToManyField(Capability, blank=True, related_name="resources")
    tags = models.ManyToManyField(ResourceTag, blank=True, related_name="resources")
    status = models.CharField(
        max_length=10, choices=Publication.choices, default=Publication.PUBLISHED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Written only by the link checker.
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Failed checks in a row; any success resets it."
    )
    link_problem = models.CharField(max_length=200, blank=True)

    # Computed by the database from the texts whenever a row is written, however it is written
    # (a form, the CSV import, bulk_create, an UPDATE), so it is never stale.
    search_vector = models.GeneratedField(
        expression=OnPostgreSQL(SEARCH_VECTOR),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = [Lower("title"), "pk"]
        indexes = [
            # The library reads A to Z: its pages walk this index instead of sorting them all.
            models.Index(
                Lower("title"),
                F("id"),
                condition=Q(status=Publication.PUBLISHED),
                name="resource_published_a_to_z_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                name="resource_url_unique",
                violation_error_message="This link is already in the library.",
                # "unique" on a single field: forms report it against that field.
                violation_error_code="unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:resource_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == Publication.PUBLISHED

    @property
    def link_is_broken(self) -> bool:
        return self.link_failures >= settings.LINK_CHECK_FAILURES_BEFORE_BROKEN


class CuratedList(models.Model):
    """An ordered selection of resources with a note on each, such as "Accounts worth
    following"."""

    title = models.CharField(max_length=160)
    # Made from the title when the list is created (resources/curation.py), then left alone
    # when the title changes: a published address stays stable.
    slug = models.SlugField(
        unique=True, help_text="The list's address: letters, digits and dashes."
    )
    introduction = models.TextField(blank=True, help_text="Who the list is for. Markdown.")
    # A new list is a draft until a curator publishes it, once it has something on it.
    status = models.CharField(max_length=10, choices=Publication.choices, default=Publication.DRAFT)
    resources = models.ManyToManyField(
        Resource, through="CuratedListItem", related_name="curated_lists"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = [Lower("title"), "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="curated_list_slug_not_empty")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:list_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Publication.PUBLISHED


class CuratedListItem(models.Model):
    curated_list = models.ForeignKey(CuratedList, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="list_items")
    position = models.PositiveIntegerField(default=0)
    note = models.TextField("curator's note", blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["curated_list", "resource"], name="list_item_resource_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.curated_list}: {self.resource}"


class ReadingListEntry(models.Model):
    """A resource a practitioner saved to read later."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="saves")
    saved_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name_plural = "reading list entries"
        constraints = [
            models.UniqueConstraint(fields=["owner", "resource"], name="reading_list_unique")
        ]

    def __str__(self) -> str:
        return str(self.resource)


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a curator"
    APPROVED = "approved", "Added to the library"
    DECLINED = "declined", "Declined"


class SuggestionQuerySet(OwnedQuerySet):
    def for_curator(self, user) -> SuggestionQuerySet:
        """Every suggestion, for staff; nothing for anyone else."""
        return self.all() if user.is_staff else self.none()

    def pending(self) -> SuggestionQuerySet:
        return self.filter(status=SuggestionStatus.PENDING)


class Suggestion(models.Model):
    """A practitioner's proposal for the library. Only its author and staff see it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.URLField("link", max_length=500, validators=[http_url_validator])
    title = models.CharField(max_length=200, blank=True, help_text="Optional: what it is called.")
    reason = models.TextField("why is it worth adding?")
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    decline_reason = models.TextField(blank=True)
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def is_pending(self) -> bool:
        return self.status == SuggestionStatus.PENDING


class EventKind(models.TextChoices):
    LIVE_CHAT = "live_chat", "Live chat"
    WEBINAR = "webinar", "Webinar"
    WORKSHOP = "workshop", "Workshop"


class Recurrence(models.TextChoices):
    NONE = "none", "Once"
    WEEKLY = "weekly", "Every week"
    MONTHLY = "monthly", "Every month, on the same weekday (e.g. the first Tuesday)"


class EventQuerySet(PublishedQuerySet):
    def not_over(self, now: dt.datetime) -> EventQuerySet:
        """Leaves out one-off events that ended by ``now``: they are over for good, and the
        list and the calendar feed need not read them again and again. Repeating events are
        judged session by session (resources/events.py)."""
        return self.exclude(recurrence=Recurrence.NONE, ends_at__lte=now)


class Event(models.Model):
    """A live chat, webinar or workshop. ``starts_at`` and ``ends_at`` are the first (or only)
    session; a repeating event keeps its wall-clock time in its own ``time_zone``, so a
    20:00 London chat stays at 20:00 when the clocks change."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    description = models.TextField(blank=True, help_text="Markdown.")
    host = models.CharField(max_length=160, blank=True)
    hashtag = models.CharField(max_length=60, blank=True)
    url = models.URLField("link", max_length=500, blank=True, validators=[http_url_validator])
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, choices=time_zone_choices, default="Europe/London")
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.NONE
    )
    repeat_until = models.DateField(
        null=True, blank=True, help_text="Optional: the last day a repeating event can fall on."
    )
    status = models.CharField(
        max_length=10, choices=Publication.choices, default=Publication.PUBLISHED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:event_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == Publication.PUBLISHED
