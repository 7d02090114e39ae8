from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest

from .erasure import erase_account, reasons_to_wait
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

    # Deleting an account here is the same erasure as the site's "Delete my account"
    # (accounts/erasure.py): files removed, programme records kept under a pseudonym. What
    # stops it (a programme's last leader) is shown where the admin lists protected objects.

    def get_deleted_objects(self, objs, request: HttpRequest):
        users = list(objs)
        deleted = [
            f"{user}: the account, every entry, evidence file, pack, summary, import, token "
            "and notification (programme records are kept under a pseudonym)"
            for user in users
        ]
        refusals = [f"{user}: {reason}" for user in users for reason in reasons_to_wait(user)]
        perms_needed = set() if self.has_delete_permission(request) else {"user"}
        return deleted, {"users": len(users)}, perms_needed, refusals

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[User]) -> list[LogEntry]:
        # The admin's log keeps no name of a deleted account: only that one was deleted.
        content_type = ContentType.objects.get_for_model(User)
        return LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type_id=content_type.pk,
                object_id=str(user.pk),
                object_repr=f"Deleted account {user.pk}",
                action_flag=DELETION,
            )
            for user in queryset
        )

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        erase_account(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            erase_account(user)
