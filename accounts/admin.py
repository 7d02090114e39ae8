from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "display_name", "registration_number"]
    fields = [
        "email",
        "display_name",
        "pseudonym",
        "registration_number",
        "role",
        "specialism",
        "employer",
        "is_active",
        "date_joined",
        "last_login",
    ]
    readonly_fields = ["date_joined", "last_login"]
