from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portfolio.entries import MAX_TAG_LENGTH, clean_tag_names, create_once, save_entry
from portfolio.entry_rules import EARLIEST_DATE, entry_link, validate_entry
from portfolio.models import Capability, Entry, Framework, Status
from resources.events import describe_recurrence, upcoming_sessions
from resources.models import Event, Resource

EVENT_WINDOW_REACH = dt.timedelta(days=5 * 366)


class TagNamesField(serializers.ListField):
    """Tags by name, both ways; a name the owner has not used before makes a new tag."""

    # The web form shows tags as one comma-separated text, so a comma would split a name in
    # two the next time the entry is saved there.
    child = serializers.CharField(
        max_length=MAX_TAG_LENGTH,
        validators=[RegexValidator(r"^[^,]*$", "A tag's name cannot contain a comma.")],
    )

    def to_representation(self, tags) -> list[str]:
        return [tag.name for tag in tags.all()]

    def to_internal_value(self, data) -> list[str]:
        return clean_tag_names(super().to_internal_value(data))


class WebLinkField(serializers.CharField):
    """A link as the web form reads it: https when typed without a scheme, http(s) only."""

    def to_internal_value(self, data) -> str:
        try:
            return entry_link(super().to_internal_value(data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class IdentifyingDetailSerializer(serializers.Serializer):
    """A detail in an entry's text that may identify a person, as the web form warns of it."""

    field = serializers.CharField(help_text="The entry's field it was found in.")
    kind = serializers.CharField(help_text="What it looks like, e.g. titled_name, postcode.")
    label = serializers.CharField(help_text="The same, in words, e.g. “name with a title”.")
    excerpt = serializers.CharField(help_text="The text found, exactly as sent.")


class EntrySerializer(serializers.ModelSerializer):
    """An entry of the log. Writes are judged by the entry's rules
    (portfolio.entry_rules.validate_entry), as on the website, with the same messages."""

    status = serializers.ChoiceField(
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="A complete entry needs what_happened, what_learned, impact, "
        "duration_minutes and a date that is not in the future; a draft needs only a title, "
        "a type and a date.",
    )
    url = WebLinkField(allow_blank=True, required=False)
    duration_minutes = serializers.IntegerField(
        min_value=1, allow_null=True, required=False, help_text="Time spent, in minutes."
    )
    capabilities = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Capability.objects.all(),
        help_text="Ids from /api/v1/capabilities/.",
    )
    tags = TagNamesField(required=False, help_text="Your own labels, by name.")
    client_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Optional, on creation only: an id your app makes for the entry. Sending the "
        "same request again (say, after a lost response) returns the entry it made, with 200.",
    )
    confirm_no_identifying_details = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Set it when a save was refused because some details look as if they could "
        "identify a person, and you have checked that they do not.",
    )
    evidence_count = serializers.IntegerField(
        read_only=True, help_text="Files attached on the website; the API does not carry them."
    )
    identifying_details = serializers.SerializerMethodField(
        help_text="In the response to a write only: details in what was sent that may identify "
        "a person (names, addresses, NHS numbers…), as the web form warns of them. A name or an "
        "address never stops a save; the others need confirm_no_identifying_details."
    )

    class Meta:
        model = Entry
        fields = [
            "id",
            "client_id",
            "status",
            "title",
            "activity_type",
            "platform",
            "url",
            "occurred_on",
            "duration_minutes",
            "hashtag",
            "what_happened",
            "what_learned",
            "impact",
            "is_peer_reflected",
            "peer_role",
            "peer_learning",
            "capabilities",
            "tags",
            "resource",
            "evidence_count",
            "identifying_details",
            "confirm_no_identifying_details",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict) -> dict:
        # An existing entry changes only where the request says so: the default filled in for
        # a status a PUT left out must not turn a complete entry into a draft.
        if self.instance is not None and "status" not in self.initial_data:
            attrs.pop("status", None)
        entry = {"id": None, "status": Status.DRAFT}
        if self.instance is not None:
            saved = self.instance
            entry = {"id": saved.pk, "status": saved.status, **saved.entry_values()}
        entry.update(attrs)
        verdict = validate_entry(
            entry,
            self._owner,
            timezone.localdate(),
            complete=entry["status"] == Status.COMPLETE,
            confirmed=attrs.get("confirm_no_identifying_details", False),
        )
        if verdict.errors:
            raise serializers.ValidationError(
                {name: [message] for name, message in verdict.errors.items()}
            )
        self._identifying_details = verdict.findings
        return attrs

    @property
    def details_found(self) -> list:
        """What validate() found in what this request sent: the web form's warnings."""
        return getattr(self, "_identifying_details", [])

    @extend_schema_field(IdentifyingDetailSerializer(many=True))
    def get_identifying_details(self, entry: Entry) -> list[dict]:
        # A read finds none: it would cost a scan of every entry's text on every page of the
        # list. A creation reads its entry back with another serializer, given them in context.
        findings = self.context.get("identifying_details", self.details_found)
        return IdentifyingDetailSerializer(findings, many=True).data

    def _save(self, entry: Entry, validated_data: dict) -> tuple[Entry, bool]:
        related = {
            "capabilities": validated_data.pop("capabilities", None),
            "tag_names": validated_data.pop("tags", None),
        }
        client_id = validated_data.pop("client_id", None)
        validated_data.pop("confirm_no_identifying_details", None)
        for name, value in validated_data.items():
            setattr(entry, name, value)
        if entry.pk is None:
            related = {name: value or [] for name, value in related.items()}
            if client_id is not None:
                return create_once(entry, owner=self._owner, client_id=client_id, **related)
        else:
            # What a PATCH leaves out stays as it was.
            if related["capabilities"] is None:
                related["capabilities"] = entry.capabilities.all()
            if related["tag_names"] is None:
                related["tag_names"] = [tag.name for tag in entry.tags.all()]
        created = entry.pk is None
        return save_entry(entry, owner=self._owner, **related), created

    def create(self, validated_data: dict) -> Entry:
        entry, self.created = self._save(Entry(), validated_data)
        return entry

    def update(self, instance: Entry, validated_data: dict) -> Entry:
        entry, _ = self._save(instance, validated_data)
        return entry

    @property
    def _owner(self):
        return self.context["request"].user


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["slug", "name", "short_name"]


class CapabilitySerializer(serializers.ModelSerializer):
    framework = FrameworkSerializer(read_only=True)

    class Meta:
        model = Capability
        fields = ["id", "code", "name", "description", "framework"]


class ResourceSerializer(serializers.ModelSerializer):
    capabilities = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    is_saved = serializers.BooleanField(read_only=True, help_text="On your reading list.")
    link_is_broken = serializers.BooleanField(read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "kind",
            "url",
            "summary",
            "source",
            "platform",
            "hashtag",
            "capabilities",
            "tags",
            "is_saved",
            "link_is_broken",
            "updated_at",
        ]


class SessionSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class EventSerializer(serializers.ModelSerializer):
    repeats = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "host",
            "hashtag",
            "url",
            "platform",
            "time_zone",
            "recurrence",
            "repeats",
        ]

    def get_repeats(self, event: Event) -> str:
        return describe_recurrence(event)


class UpcomingEventSerializer(serializers.Serializer):
    event = EventSerializer()
    session = SessionSerializer(help_text="Its first session from the start of the window.")


class EventDetailSerializer(EventSerializer):
    upcoming_sessions = serializers.SerializerMethodField(help_text="The next five sessions.")

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "upcoming_sessions"]

    @extend_schema_field(SessionSerializer(many=True))
    def get_upcoming_sessions(self, event: Event) -> list[dict]:
        return SessionSerializer(upcoming_sessions(event, timezone.now()), many=True).data


class EventWindowSerializer(serializers.Serializer):
    """The query of the events list: which sessions to show."""

    date_from = serializers.DateField(
        required=False, help_text="Sessions from the start of this day (London); default now."
    )
    date_to = serializers.DateField(
        required=False, help_text="Sessions starting on or before this day (London)."
    )

    def _within_reach(self, day: dt.date) -> dt.date:
        # Repeating sessions are counted out one by one, so a window centuries away would
        # keep the request busy for nothing.
        last = timezone.localdate() + EVENT_WINDOW_REACH
        if not EARLIEST_DATE <= day <= last:
            raise serializers.ValidationError(
                f"Choose a day from {EARLIEST_DATE:%-d %B %Y} to {last:%-d %B %Y}."
            )
        return day

    validate_date_from = validate_date_to = _within_reach

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": "The end date is before the start date."})
        return attrs
