"""Only the student downloads her credential; the programme's leaders see on the submission
page that it was issued; everyone else gets 404. The public pages need no login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credentials.models import IssuedCredential
from programmes.models import Programme

DOWNLOADS = ["credentials:download_jwt", "credentials:download_json"]


@pytest.fixture
def credential(signed) -> IssuedCredential:
    return signed.credential


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_student_downloads_her_credential(name, world, credential, client_for):
    response = client_for(world.student).get(reverse(name, args=[world.submission.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    if name == "credentials:download_jwt":
        assert response.content.decode() == credential.compact_jws
    else:
        assert response.json()["id"].endswith(f"/credentials/{credential.pk}/")


@pytest.mark.parametrize("name", DOWNLOADS)
@pytest.mark.parametrize("who", ["other_practitioner", "leader", "other_leader"])
def test_nobody_else_downloads_it(name, who, world, credential, client_for):
    response = client_for(getattr(world, who)).get(reverse(name, args=[world.submission.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_leader_without_consent_gets_404_too(name, world, credential, client_for):
    world.revoke()

    response = client_for(world.leader).get(reverse(name, args=[world.submission.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_anonymous_is_sent_to_log_in(name, world, credential, client):
    response = client.get(reverse(name, args=[world.submission.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_submission_not_signed_off_has_no_credential(name, world, client_for):
    response = client_for(world.student).get(reverse(name, args=[world.submission.pk]))

    assert response.status_code == 404


def test_the_submission_page_offers_the_student_her_credential(world, credential, client_for):
    content = client_for(world.student).get(world.submission.get_absolute_url()).content.decode()

    assert "Download your credential" in content
    assert reverse("credentials:download_jwt", args=[world.submission.pk]) in content


def test_the_leader_sees_that_it_was_issued_without_a_download(world, credential, client_for):
    content = client_for(world.leader).get(world.submission.get_absolute_url()).content.decode()

    assert "A credential of this sign-off was issued to the student" in content
    assert "Download your credential" not in content
    assert reverse("credentials:download_jwt", args=[world.submission.pk]) not in content


def test_the_public_pages_need_no_login(world, credential, client):
    urls = [
        reverse("credentials:verify"),
        reverse("credentials:jwks"),
        reverse("credentials:issuer", args=[world.programme.pk]),
        reverse("credentials:achievement", args=[world.programme.pk, world.submission.year]),
        reverse("credentials:credential", args=[credential.pk]),
    ]
    kid = client.get(reverse("credentials:jwks")).json()["keys"][0]["kid"]
    urls.append(kid.removeprefix("http://127.0.0.1:8000"))

    assert [client.get(url).status_code for url in urls] == [200] * len(urls)


def test_only_issuing_programmes_have_a_public_profile(world, credential, client):
    other = world.other_programme.pk

    assert client.get(reverse("credentials:issuer", args=[other])).status_code == 404
    assert client.get(reverse("credentials:achievement", args=[other, 2026])).status_code == 404
    year = world.submission.year + 1
    assert (
        client.get(reverse("credentials:achievement", args=[world.programme.pk, year])).status_code
        == 404
    )
    assert Programme.objects.count() == 2


def test_an_unknown_credential_or_key_is_404(db, client):
    unknown = "00000000-0000-4000-8000-000000000000"

    assert client.get(reverse("credentials:credential", args=[unknown])).status_code == 404
    assert client.get(reverse("credentials:key", args=["nope"])).status_code == 404
