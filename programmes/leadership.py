"""Who may lead a programme: only a user whose role allows it (programmes.access.may_lead).

Held in the model layer, so the site, the admin and the shell all obey it: adding a leader
through the relation (``programme.leaders.add()``, ``.set()``, ``user.led_programmes.add()``)
is refused with a ValidationError, and so is changing the role of someone who still leads a
programme (accounts.roles.change_role): remove them as a leader first. (Rows written into the
join table itself, ``Programme.leaders.through.objects.create()``, are not checked: Django
sends no signals for a table it made for a relation. Nothing here writes it that way.) The
users are locked while they are checked, so a role change and an added leadership running at
once cannot both pass."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed

from accounts.models import User

from .access import LEADING_ROLES, may_lead
from .models import Programme

ProgrammeLeader = Programme.leaders.through


def check_may_lead(users: Iterable[User]) -> None:
    """Raise ValidationError naming whichever of ``users`` their role does not allow to lead."""
    names = sorted(str(user) for user in users if not may_lead(user))
    if names:
        raise ValidationError(
            "Only programme leaders and admins can lead a programme; not %(names)s. "
            "An admin can change their role first.",
            code="not_a_leader",
            params={"names": ", ".join(names)},
        )


def refuse_demoting_a_leader(user: User, new_role: str) -> None:
    if new_role in LEADING_ROLES:
        return
    led = list(Programme.objects.for_user(user).values_list("name", flat=True))
    if led:
        raise ValidationError(
            "%(user)s leads %(programmes)s, so must stay a programme leader or admin. Remove "
            "them as a leader of each first.",
            code="still_leads",
            params={"user": user, "programmes": ", ".join(led)},
        )


def _lock_and_check(user_pks: Iterable[int]) -> None:
    check_may_lead(User.objects.select_for_update().filter(pk__in=list(user_pks)))


def _on_leaders_changed(instance, action: str, reverse: bool, pk_set, **_arguments) -> None:
    if action != "pre_add" or not pk_set:
        return
    # From the user's side (user.led_programmes.add()), the user is ``instance``.
    _lock_and_check([instance.pk] if reverse else pk_set)


def _on_role_changing(user: User, new_role: str, **_arguments) -> None:
    refuse_demoting_a_leader(user, new_role)


def connect() -> None:
    from accounts.signals import role_changing

    m2m_changed.connect(_on_leaders_changed, sender=ProgrammeLeader, dispatch_uid="leaders")
    role_changing.connect(_on_role_changing, dispatch_uid="leaders-role")
