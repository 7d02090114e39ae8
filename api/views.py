"""The REST API, version 1. Every read of a user's entries goes through for_user(), so anyone
else's entry answers 404, as on the pages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from portfolio.entries import delete_entry
from portfolio.log import with_list_details
from portfolio.models import Capability, Entry
from resources.events import upcoming_events
from resources.library import with_card_details
from resources.models import Event, Resource

from .filters import CapabilityFilter, EntryFilter, ResourceFilter
from .serializers import (
    CapabilitySerializer,
    EntrySerializer,
    EventDetailSerializer,
    EventWindowSerializer,
    ResourceSerializer,
    UpcomingEventSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Your entries, newest first"),
    create=extend_schema(
        summary="Log an entry",
        responses={
            201: EntrySerializer,
            200: OpenApiResponse(
                EntrySerializer,
                description="The entry an earlier request with this "
                "client_id made; nothing new was saved.",
            ),
        },
    ),
    retrieve=extend_schema(summary="One of your entries"),
    update=extend_schema(summary="Change an entry (fields left out keep their values)"),
    partial_update=extend_schema(summary="Change some fields of an entry"),
    destroy=extend_schema(summary="Delete an entry, with its evidence files"),
)
class EntryViewSet(viewsets.ModelViewSet):
    serializer_class = EntrySerializer
    filterset_class = EntryFilter

    def get_queryset(self):
        return with_list_details(Entry.objects.for_user(self.request.user))

    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = serializer.save()
        # Read back as a list row, with the counts the representation shows.
        saved = self.get_serializer(
            self.get_queryset().get(pk=entry.pk),
            context={
                **self.get_serializer_context(),
                "identifying_details": serializer.details_found,
            },
        )
        answer = status.HTTP_201_CREATED if serializer.created else status.HTTP_200_OK
        return Response(saved.data, status=answer)

    def perform_destroy(self, instance: Entry) -> None:
        delete_entry(instance)


@extend_schema_view(
    list=extend_schema(summary="The capabilities of every framework"),
    retrieve=extend_schema(summary="One capability"),
)
class CapabilityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CapabilitySerializer
    filterset_class = CapabilityFilter
    queryset = Capability.objects.select_related("framework").order_by(
        "framework__position", "position", "pk"
    )


@extend_schema_view(
    list=extend_schema(summary="The library's published resources"),
    retrieve=extend_schema(summary="One published resource"),
)
class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter

    def get_queryset(self):
        # A to Z, the resources' own order, or best match first when ResourceFilter searches.
        return with_card_details(Resource.objects.published(), self.request.user)


@extend_schema_view(retrieve=extend_schema(summary="One published event, with its next sessions"))
class EventViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EventDetailSerializer
    queryset = Event.objects.published()

    @extend_schema(
        summary="Published events with a session in a window, soonest first",
        description="Each event once, with its first session in the window: from now, "
        "unless date_from says otherwise.",
        parameters=[EventWindowSerializer],
        responses=UpcomingEventSerializer(many=True),
    )
    def list(self, request) -> Response:
        window = EventWindowSerializer(data=request.query_params)
        window.is_valid(raise_exception=True)
        start, end = window.validated_data.get("date_from"), window.validated_data.get("date_to")
        listed = upcoming_events(self.get_queryset(), _start_of(start) if start else timezone.now())
        if end:
            listed = [item for item in listed if timezone.localdate(item.session.start) <= end]
        page = self.paginate_queryset(listed)
        return self.get_paginated_response(UpcomingEventSerializer(page, many=True).data)


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
