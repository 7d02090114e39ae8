"""Every change of a role goes through accounts.roles.change_role(), is checked by the apps
that depend on roles, and is recorded; the admin changes roles that way too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role, RoleChange, RoleChangeNotRecorded, RoleChangeRoute, User
from accounts.roles import change_role
from programmes.cohorts import create_programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def admin_form(user: User, role: str) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "pseudonym": "",
        "registration_number": "",
        "role": role,
        "specialism": "",
        "employer": "",
        "is_active": "on",
    }


def test_a_role_change_is_recorded_with_who_and_how(practitioner):
    admin_user = make_user("root@example.org", role=Role.ADMIN)

    change = change_role(
        practitioner, Role.PROGRAMME_LEADER, changed_by=admin_user, route=RoleChangeRoute.SHELL
    )

    practitioner.refresh_from_db()
    assert practitioner.role == Role.PROGRAMME_LEADER
    assert (change.user, change.from_role, change.to_role, change.changed_by, change.route) == (
        practitioner,
        Role.PRACTITIONER,
        Role.PROGRAMME_LEADER,
        admin_user,
        RoleChangeRoute.SHELL,
    )
    assert change_role(practitioner, Role.PROGRAMME_LEADER, changed_by=None, route="shell") is None
    assert RoleChange.objects.count() == 1


def test_saving_a_new_role_directly_is_refused(practitioner):
    practitioner.role = Role.ADMIN

    with pytest.raises(RoleChangeNotRecorded):
        practitioner.save()

    assert User.objects.get(pk=practitioner.pk).role == Role.PRACTITIONER
    practitioner.role = Role.PRACTITIONER
    practitioner.display_name = "Alex M"
    practitioner.save()  # anything else saves as before


def test_the_record_is_append_only(practitioner):
    change = change_role(practitioner, Role.ADMIN, changed_by=None, route=RoleChangeRoute.SHELL)

    change.to_role = Role.PROGRAMME_LEADER
    with pytest.raises(ValueError, match="never altered"):
        change.save()


def test_a_leader_who_still_leads_a_programme_keeps_the_role(programme_leader):
    create_programme(name="Advanced practice MSc", description="", created_by=programme_leader)

    with pytest.raises(ValidationError, match="Advanced practice MSc"):
        change_role(programme_leader, Role.PRACTITIONER, changed_by=None, route="shell")

    programme_leader.refresh_from_db()
    assert programme_leader.role == Role.PROGRAMME_LEADER
    assert not RoleChange.objects.exists()
    change_role(programme_leader, Role.ADMIN, changed_by=None, route="shell")  # still may lead


def test_the_admin_changes_roles_through_the_log(practitioner, client_for):
    admin_user = make_user("root@example.org", role=Role.ADMIN, is_superuser=True)
    client = client_for(admin_user)

    response = client.post(
        reverse("admin:accounts_user_change", args=[practitioner.pk]),
        admin_form(practitioner, Role.PROGRAMME_LEADER),
    )

    assert response.status_code == 302
    change = RoleChange.objects.get()
    assert (change.user, change.changed_by, change.route) == (
        practitioner,
        admin_user,
        RoleChangeRoute.ADMIN,
    )
    log = client.get(reverse("admin:accounts_rolechange_changelist")).content.decode()
    assert practitioner.email in log or str(practitioner) in log
    change_page = client.get(reverse("admin:accounts_rolechange_change", args=[change.pk]))
    assert change_page.status_code == 200
    assert b'name="_save"' not in change_page.content  # read-only
    assert client.get(reverse("admin:accounts_rolechange_add")).status_code == 403


def test_the_admin_shows_why_a_leader_cannot_be_demoted(programme_leader, client_for):
    create_programme(name="Advanced practice MSc", description="", created_by=programme_leader)
    client = client_for(make_user("root@example.org", role=Role.ADMIN, is_superuser=True))

    response = client.post(
        reverse("admin:accounts_user_change", args=[programme_leader.pk]),
        admin_form(programme_leader, Role.PRACTITIONER),
    )

    assert response.status_code == 200
    assert "leads Advanced practice MSc" in response.content.decode()
    programme_leader.refresh_from_db()
    assert programme_leader.role == Role.PROGRAMME_LEADER
