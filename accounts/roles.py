"""Changing a user's role: the one way it is done, from the admin or the shell, so that every
change is checked by the apps that depend on roles and recorded in RoleChange."""

from __future__ import annotations

from django.db import transaction

from .models import Role, RoleChange, RoleChangeRoute, User
from .signals import role_changing


def check_role_change(user: User, new_role: Role | str) -> None:
    """Raise django.core.exceptions.ValidationError if an app refuses to let ``user`` have
    ``new_role`` (for a form to show); change_role() checks again while the user is locked."""
    if user.role != new_role:
        role_changing.send(sender=User, user=user, old_role=user.role, new_role=new_role)


@transaction.atomic
def change_role(
    user: User, new_role: Role | str, *, changed_by: User | None, route: RoleChangeRoute
) -> RoleChange | None:
    """Give ``user`` the role ``new_role`` and record who did it and how; None if it is their
    role already. Raises django.core.exceptions.ValidationError, changing nothing, when an app
    refuses the change (a programme's leader cannot stop being one: programmes.leadership)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    old_role = locked.role
    if old_role == new_role:
        return None
    check_role_change(locked, new_role)
    User.objects.filter(pk=user.pk).update(role=new_role)
    user.role = user._saved_role = new_role
    return RoleChange.objects.create(
        user=user, from_role=old_role, to_role=new_role, changed_by=changed_by, route=route
    )
