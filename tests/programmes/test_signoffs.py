"""Sign-offs reach the student's dashboard for the year they cover, and signoffs_for() gives
the evidence exports the sign-offs of any period."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.periods import Period
from programmes.access import submission_for
from programmes.review import sign_off
from programmes.signoffs import signoffs_for
from programmes.submissions import submit

STATEMENT = "A thoughtful, well-evidenced year of learning."


@pytest.fixture
def signed(world):
    return sign_off(
        submission_for(world.leader, world.submission.pk),
        world.leader,
        name="Dr Sam Patel",
        role="Programme leader",
        signed_on=world.today,
        statement=STATEMENT,
        confirmed=True,
    )


def test_the_dashboard_shows_the_sign_off_of_its_year(signed, world, client_for):
    client = client_for(world.student)

    this_year = client.get(reverse("portfolio:dashboard")).content.decode()
    last_year = client.get(
        reverse("portfolio:dashboard") + f"?year={world.last_year.slug}"
    ).content.decode()

    assert 'id="signoffs-heading"' in this_year
    assert STATEMENT in this_year
    assert f"Dr Sam Patel, Programme leader, {world.today:%-d %B %Y}" in this_year
    assert world.submission.get_absolute_url() in this_year
    assert STATEMENT not in last_year
    assert 'id="signoffs-heading"' not in last_year


def test_nobody_else_sees_the_sign_off_on_their_dashboard(signed, world, client_for):
    for user in (world.leader, world.other_practitioner):
        content = client_for(user).get(reverse("portfolio:dashboard")).content.decode()
        assert STATEMENT not in content


def test_no_section_before_anything_is_signed_off(world, client_for):
    content = client_for(world.student).get(reverse("portfolio:dashboard")).content.decode()

    assert 'id="signoffs-heading"' not in content


def test_signoffs_for_a_period_are_those_of_the_years_it_overlaps(signed, world):
    last = submit(world.membership, world.last_year)
    older = sign_off(
        submission_for(world.leader, last.pk),
        world.leader,
        name="Dr Sam Patel",
        role="Programme leader",
        signed_on=world.today,
        statement="Last year too.",
        confirmed=True,
    )
    day = dt.timedelta(days=1)

    assert set(signoffs_for(world.student)) == {signed, older}
    assert list(signoffs_for(world.student, world.this_year)) == [signed]
    assert list(signoffs_for(world.student, world.last_year)) == [older]
    assert set(signoffs_for(world.student, Period(world.last_year.end, world.this_year.start))) == {
        signed,
        older,
    }
    assert list(signoffs_for(world.student, Period(world.this_year.start + day, world.today))) == [
        signed
    ]
    assert list(signoffs_for(world.other_practitioner)) == []


def test_an_evidence_pack_carries_the_sign_off(signed, world, django_capture_on_commit_callbacks):
    from tests.packs.conftest import build_now, open_pack

    evidence_pack = build_now(
        world.student,
        django_capture_on_commit_callbacks,
        period=Period(world.this_year.start, world.this_year.end),
    )
    pack = open_pack(evidence_pack)
    document = json.loads(pack.read("portfolio.json"))
    (signoff,) = document["signoffs"]
    assert signoff["by"] == "Dr Sam Patel, Programme leader"
    assert signoff["what"] == STATEMENT
    assert signoff["date"] == world.today.isoformat()
    assert signoff["verify"].endswith(f"/credentials/{signed.credential.pk}/")
    pdf = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pack.read("portfolio.pdf"))).pages
    )
    assert "Dr Sam Patel, Programme leader" in pdf
    assert "Its credential, to verify:" in pdf
    assert "No sign-offs recorded" not in pdf
