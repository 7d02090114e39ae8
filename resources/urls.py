from django.urls import path

from . import curation_views as curation
from . import views

app_name = "resources"
urlpatterns = [
    path("library/", views.resource_list, name="resource_list"),
    path("library/<id:pk>/", views.resource_detail, name="resource_detail"),
    path("library/<id:pk>/save/", views.resource_save, name="resource_save"),
    path("library/saved/", views.reading_list, name="reading_list"),
    path("library/lists/", views.list_index, name="list_index"),
    path("library/lists/<slug:slug>/", views.list_detail, name="list_detail"),
    path("library/suggest/", views.suggestion_create, name="suggestion_create"),
    path("library/suggestions/", views.suggestion_list, name="suggestion_list"),
    path("events/", views.event_list, name="event_list"),
    path("events/calendar.ics", views.events_feed, name="events_feed"),
    path("events/<id:pk>/", views.event_detail, name="event_detail"),
    path("events/<id:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<id:pk>/took-part/", views.event_took_part, name="event_took_part"),
    path("curation/", curation.curation_home, name="curation_home"),
    path("curation/resources/", curation.resources, name="curation_resources"),
    path("curation/resources/new/", curation.resource_create, name="curation_resource_create"),
    path("curation/resources/import/", curation.resource_import, name="curation_import"),
    path(
        "curation/resources/import/confirm/",
        curation.resource_import_confirm,
        name="curation_import_confirm",
    ),
    path("curation/resources/<id:pk>/", curation.resource_edit, name="curation_resource_edit"),
    path(
        "curation/resources/<id:pk>/status/",
        curation.resource_publication,
        name="curation_resource_publication",
    ),
    path("curation/lists/", curation.lists, name="curation_lists"),
    path("curation/lists/new/", curation.list_create, name="curation_list_create"),
    path("curation/lists/<id:pk>/", curation.list_edit, name="curation_list_edit"),
    path(
        "curation/lists/<id:pk>/status/",
        curation.list_publication,
        name="curation_list_publication",
    ),
    path("curation/lists/<id:pk>/items/", curation.list_item_add, name="curation_item_add"),
    path("curation/items/<id:pk>/move/", curation.list_item_move, name="curation_item_move"),
    path("curation/items/<id:pk>/remove/", curation.list_item_remove, name="curation_item_remove"),
    path("curation/events/", curation.events, name="curation_events"),
    path("curation/events/new/", curation.event_create, name="curation_event_create"),
    path("curation/events/<id:pk>/", curation.event_edit, name="curation_event_edit"),
    path(
        "curation/events/<id:pk>/status/",
        curation.event_publication,
        name="curation_event_publication",
    ),
    path("curation/suggestions/", curation.suggestions, name="curation_suggestions"),
    path(
        "curation/suggestions/<id:pk>/approve/",
        curation.suggestion_approve,
        name="curation_suggestion_approve",
    ),
    path(
        "curation/suggestions/<id:pk>/decline/",
        curation.suggestion_decline,
        name="curation_suggestion_decline",
    ),
    path("curation/broken-links/", curation.broken_links, name="curation_broken_links"),
    path(
        "curation/broken-links/<id:pk>/check/",
        curation.link_check_again,
        name="curation_link_check",
    ),
]
