from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .erasure import erase_account, reasons_to_wait
from .models import Role, RoleChange, RoleChangeRoute, User
from .roles import change_role, check_role_change


class UserAdminForm(forms.ModelForm):
    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if self.instance.pk is not None:
            check_role_change(self.instance, role)  # e.g. refused while they lead a programme
        return role


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
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

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        """The role goes through change_role(), which checks and records it; a new account
        starts as a practitioner and is then given its role the same way."""
        role = obj.role
        if change:
            obj.role = obj._saved_role
        else:
            obj.role = Role.PRACTITIONER
        obj.save()
        change_role(obj, role, changed_by=request.user, route=RoleChangeRoute.ADMIN)

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


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The audit log of roles, to read: it is written only by accounts.roles.change_role()."""

    list_display = ["changed_at", "user", "from_role", "to_role", "changed_by", "route"]
    list_filter = ["to_role", "route"]
    search_fields = ["user__email", "changed_by__email"]
    list_select_related = ["user", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# --- The admin behind the site's own log-in -----------------------------------------------------
# The admin's log-in form would check a password with none of allauth's rules: no rate limit, no
# verified email, no second factor. Its pages send whoever is not signed in to the site's log-in
# instead, and back; password changes go through the site's page too.


@login_not_required
def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Never signs anyone in. Anonymous: to the site's log-in, then on to the admin page asked
    for. Signed in as staff: on to that page. Signed in as anyone else: refused, rather than sent
    to a log-in page that would send them straight back."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        query = urlencode({REDIRECT_FIELD_NAME: next_url})
        return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied("The admin is for admins only.")
    return HttpResponseRedirect(next_url)


def admin_password_change(request: HttpRequest, extra_context=None) -> HttpResponse:
    return redirect("account_change_password")


admin.site.login = admin_login
admin.site.password_change = admin_password_change
