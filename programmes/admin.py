from django.contrib import admin

from .models import Cohort, Programme

# Only the programmes' structure is here. Students' shared entries, submissions, comments and the
# audit trail are not: admins curate, they do not read reflections, and the trail is append-only.


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["leaders"]
    inlines = [CohortInline]
