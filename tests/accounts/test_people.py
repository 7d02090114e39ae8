"""Leaders see students by the name they gave, with the address beside it, one way
everywhere ({{ student|person }})."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from accounts.templatetags.people import person
from tests.programmes.conftest import join, make_cohort


def test_a_person_is_their_name_with_their_address_beside_it():
    shown = person(User(email="alex@example.org", display_name="Alex <Morgan>"))

    assert shown == 'Alex &lt;Morgan&gt; <span class="person-address">alex@example.org</span>'


def test_a_person_without_a_name_is_their_address():
    assert person(User(email="alex@example.org", display_name="")) == "alex@example.org"


def test_the_overview_and_the_students_page_show_name_and_address(
    programme_leader, practitioner, client_for
):
    cohort = make_cohort(programme_leader, "Advanced practice MSc")
    join(practitioner, cohort)
    client = client_for(programme_leader)
    shown = f'{practitioner.display_name} <span class="person-address">{practitioner.email}</span>'

    overview = client.get(cohort.get_absolute_url()).content.decode()
    student_page = client.get(
        reverse("programmes:shared_portfolio", args=[practitioner.pk])
    ).content.decode()

    assert shown in overview
    assert f"<h1>{shown}</h1>" in student_page
