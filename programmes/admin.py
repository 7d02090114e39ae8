from django import forms
from django.contrib import admin
from django.db import models

from .leadership import check_may_lead
from .models import Cohort, Programme

# Only the programmes' structure is here. Students' shared entries, submissions, comments and the
# audit trail are not: admins curate, they do not read reflections, and the trail is append-only.


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


class ProgrammeAdminForm(forms.ModelForm):
    def clean_leaders(self):
        # The same rule the model layer enforces on saving (programmes.leadership), checked
        # here first so that the form shows it instead of failing.
        leaders = self.cleaned_data["leaders"]
        check_may_lead(leaders)
        return leaders


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    form = ProgrammeAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["leaders"]
    inlines = [CohortInline]
