from django.contrib import admin

from .models import Capability, Framework


class CapabilityInline(admin.TabularInline):
    model = Capability
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "position"]
    inlines = [CapabilityInline]
