"""Leaders set up programmes: create one, add cohorts and co-leaders; students manage what they
share. Each refusal says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from programmes.models import Cohort, Membership, Programme
from tests.factories import make_user

from .conftest import join, make_cohort, make_leader


def messages_after(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_leader_creates_a_programme_and_a_cohort(programme_leader, client_for):
    client = client_for(programme_leader)

    created = client.post(
        reverse("programmes:programme_create"),
        {"name": "Advanced practice MSc", "description": "Two years, part time."},
    )
    programme = Programme.objects.get()
    cohort_added = client.post(
        reverse("programmes:cohort_create", args=[programme.pk]), {"name": "  2027   intake "}
    )

    assert created["Location"] == programme.get_absolute_url()
    cohort = Cohort.objects.get()
    assert cohort.name == "2027 intake"
    assert cohort_added["Location"] == cohort.get_absolute_url()
    assert list(programme.leaders.all()) == [programme_leader]
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "2027 intake" in page and "Two years, part time." in page


def test_a_duplicate_cohort_name_is_refused(programme_leader, client_for):
    cohort = make_cohort(programme_leader, "MSc", "2026 intake")

    response = client_for(programme_leader).post(
        reverse("programmes:cohort_create", args=[cohort.programme.pk]), {"name": "2026 INTAKE"}
    )

    assert response.status_code == 200
    assert response.context["cohort_form"].errors == {
        "name": ["MSc already has a cohort called 2026 INTAKE."]
    }
    assert Cohort.objects.count() == 1


def test_a_co_leader_is_added_and_then_leads_the_programme(programme_leader, client_for):
    cohort = make_cohort(programme_leader, "MSc")
    co_leader = make_leader("co.leader@example.org", display_name="Dr Co")

    response = client_for(programme_leader).post(
        reverse("programmes:leader_add", args=[cohort.programme.pk]),
        {"email": "CO.LEADER@example.org"},
        follow=True,
    )

    assert messages_after(response) == ["Dr Co now leads MSc with you."]
    assert set(cohort.programme.leaders.all()) == {programme_leader, co_leader}
    assert client_for(co_leader).get(cohort.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["practitioner", "nobody", "already", "student"])
def test_a_co_leader_must_be_a_leader_not_already_leading_nor_studying(
    who, programme_leader, practitioner, client_for
):
    cohort = make_cohort(programme_leader, "MSc")
    if who == "student":
        student_leader = make_leader("studying@example.org", display_name="Dr Studying")
        join(student_leader, cohort)
    email = {
        "practitioner": practitioner.email,
        "nobody": "nobody@example.org",
        "already": programme_leader.email,
        "student": "studying@example.org",
    }[who]

    response = client_for(programme_leader).post(
        reverse("programmes:leader_add", args=[cohort.programme.pk]), {"email": email}, follow=True
    )

    expected = {
        "practitioner": f"No programme leader has an account with the address {email}. "
        "Co-leaders need an account with the programme leader role: ask an admin to set one up.",
        "nobody": f"No programme leader has an account with the address {email}. "
        "Co-leaders need an account with the programme leader role: ask an admin to set one up.",
        "already": "Dr Sam Patel already leads MSc.",
        "student": "Dr Studying is a student on MSc, so cannot lead it.",
    }[who]
    assert messages_after(response) == [expected]
    assert list(cohort.programme.leaders.all()) == [programme_leader]


def test_staff_may_be_co_leaders(programme_leader, client_for):
    cohort = make_cohort(programme_leader, "MSc")
    admin = make_user("admin@example.org", role=Role.ADMIN)

    client_for(programme_leader).post(
        reverse("programmes:leader_add", args=[cohort.programme.pk]), {"email": admin.email}
    )

    assert cohort.programme.leaders.filter(pk=admin.pk).exists()


# --- The student's sharing ---------------------------------------------------------------------


def test_the_student_changes_and_stops_sharing(world, client_for):
    client = client_for(world.student)
    prefix = f"sharing-{world.membership.pk}"

    changed = client.post(
        reverse("programmes:sharing_change", args=[world.membership.pk]),
        {f"{prefix}-shared": str(world.this_year.end.year)},
        follow=True,
    )
    world.membership.refresh_from_db()
    assert world.membership.shared_year == world.this_year.end.year
    assert messages_after(changed) == [
        f"You now share CPD year {world.this_year.label} only with {world.cohort}."
    ]

    stopped = client.post(
        reverse("programmes:sharing_stop", args=[world.membership.pk]), follow=True
    )
    world.membership.refresh_from_db()
    assert world.membership.revoked_at is not None
    assert messages_after(stopped)[-1].startswith(
        f"You no longer share anything with {world.cohort}."
    )
    page = client.get(reverse("programmes:home")).content.decode()
    assert "You stopped sharing on" in page


def test_a_year_outside_the_choices_is_refused(world, client_for):
    response = client_for(world.student).post(
        reverse("programmes:sharing_change", args=[world.membership.pk]),
        {f"sharing-{world.membership.pk}-shared": "1999"},
        follow=True,
    )

    assert messages_after(response) == ["Choose what to share."]
    assert Membership.objects.get(pk=world.membership.pk).shared_year is None
