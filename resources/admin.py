"""The library in the Django admin, beside the curation pages (which are the everyday tool)."""

from django.contrib import admin

from .models import CuratedList, CuratedListItem, Event, Resource, ResourceTag, Suggestion


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "link_failures", "link_checked_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "url", "source"]
    filter_horizontal = ["capabilities", "tags"]
    readonly_fields = ["link_checked_at", "link_failures", "link_problem"]


class CuratedListItemInline(admin.TabularInline):
    model = CuratedListItem
    autocomplete_fields = ["resource"]
    extra = 0


@admin.register(CuratedList)
class CuratedListAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CuratedListItemInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "time_zone", "recurrence", "status"]
    list_filter = ["kind", "recurrence", "status"]
    search_fields = ["title", "hashtag", "host"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    readonly_fields = ["owner", "created_at", "decided_by", "decided_at"]


admin.site.register(ResourceTag, search_fields=["name"])
