"""Only a user whose role allows it leads a programme, whichever way they are added."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import Role
from programmes.cohorts import create_programme
from programmes.models import Programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(programme_leader) -> Programme:
    return create_programme(
        name="Advanced practice MSc", description="", created_by=programme_leader
    )


@pytest.mark.parametrize(
    "add",
    [
        lambda programme, user: programme.leaders.add(user),
        lambda programme, user: programme.leaders.set([user]),
        lambda programme, user: user.led_programmes.add(programme),
    ],
    ids=["add", "set", "from the user"],
)
def test_a_practitioner_cannot_be_made_a_leader_by_any_route(add, programme, practitioner):
    refused = pytest.raises(ValidationError, match="Only programme leaders and admins")
    with refused, transaction.atomic():
        add(programme, practitioner)

    assert list(programme.leaders.all()) == [programme.leaders.get()]
    assert not practitioner.led_programmes.exists()


def test_leaders_and_admins_can_be_added(programme):
    co_leader = make_user(role=Role.PROGRAMME_LEADER)
    admin_user = make_user(role=Role.ADMIN)

    programme.leaders.add(co_leader, admin_user)

    assert programme.leaders.count() == 3


def test_the_admin_form_shows_the_rule_instead_of_failing(programme, practitioner, client_for):
    client = client_for(make_user("root@example.org", role=Role.ADMIN, is_superuser=True))

    response = client.post(
        reverse("admin:programmes_programme_change", args=[programme.pk]),
        {
            "name": programme.name,
            "description": "",
            "leaders": [practitioner.pk],
            "cohorts-TOTAL_FORMS": "0",
            "cohorts-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "Only programme leaders and admins can lead a programme" in response.content.decode()
    assert not programme.leaders.filter(pk=practitioner.pk).exists()
