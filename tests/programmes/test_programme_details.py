"""A leader edits her programme's details, its institution among them: the issuer of its
credentials. Nobody else may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import Programme


def edit_url(world) -> str:
    return reverse("programmes:programme_edit", args=[world.programme.pk])


def test_the_leader_sets_the_institution(world, client_for):
    client = client_for(world.leader)
    assert "Edit the programme" in client.get(world.programme.get_absolute_url()).content.decode()

    response = client.post(
        edit_url(world),
        {
            "name": "Advanced practice MSc",
            "description": "",
            "institution": "University of Example",
            "institution_url": "www.example.ac.uk",
        },
    )

    assert response.status_code == 302
    programme = Programme.objects.get(pk=world.programme.pk)
    assert programme.issuer_name == "University of Example"
    assert programme.institution_url == "https://www.example.ac.uk"


def test_without_an_institution_the_site_issues(world, client_for):
    content = client_for(world.leader).get(world.programme.get_absolute_url()).content.decode()

    assert world.programme.issuer_name == "CPD Portal"
    assert "no institution is set" in content


def test_a_bad_address_is_refused_and_nothing_lost(world, client_for):
    response = client_for(world.leader).post(
        edit_url(world),
        {"name": "Renamed", "institution": "University of Example", "institution_url": "not a url"},
    )

    assert response.status_code == 200
    assert "University of Example" in response.content.decode()
    assert Programme.objects.get(pk=world.programme.pk).name == "Advanced practice MSc"


@pytest.mark.parametrize("who", ["other_leader", "student", "other_practitioner"])
def test_nobody_else_edits_it(who, world, client_for):
    assert client_for(getattr(world, who)).get(edit_url(world)).status_code in (403, 404)
    response = client_for(getattr(world, who)).post(edit_url(world), {"name": "Mine"})
    assert response.status_code in (403, 404)
    assert Programme.objects.get(pk=world.programme.pk).name == "Advanced practice MSc"


def test_anonymous_is_sent_to_log_in(world, client):
    response = client.get(edit_url(world))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
