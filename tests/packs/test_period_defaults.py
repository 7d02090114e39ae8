"""On whatever day it is, a summary or a pack is offered for the CPD year containing today, and
a pack can be downloaded for exactly the configured days after it is built."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_containing
from core.periods import Period
from packs.building import delete_expired_evidence_packs, is_downloadable
from tests.factories import make_entry
from tests.packs.conftest import build_now

pytestmark = pytest.mark.calendar


@pytest.mark.parametrize("page", ["summaries:list", "packs:list"])
def test_this_cpd_year_is_the_period_offered_first(page, practitioner, client_for):
    year = cpd_year_containing(timezone.localdate())

    response = client_for(practitioner).get(reverse(page))

    form = response.context["form"]
    assert form["period"].value() == "current_year"
    assert form.presets["current_year"] == (
        f"This CPD year ({year.label})",
        Period(year.start, year.end),
    )
    assert form.presets["previous_year"][1] == Period(year.previous().start, year.previous().end)
    assert f"This CPD year ({year.label})" in response.content.decode()


def test_a_pack_is_downloadable_for_the_configured_days(
    practitioner, settings, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)  # built and finished in the same instant
    settings.EXPORT_EXPIRY_DAYS = 7
    make_entry(practitioner, occurred_on=timezone.localdate())
    year = cpd_year_containing(timezone.localdate())

    pack = build_now(
        practitioner, django_capture_on_commit_callbacks, period=Period(year.start, year.end)
    )

    assert pack.expires_at == timezone.now() + dt.timedelta(days=7)
    last_moment = pack.expires_at - dt.timedelta(microseconds=1)
    assert is_downloadable(pack, last_moment)
    assert delete_expired_evidence_packs(last_moment) == 0
    assert not is_downloadable(pack, pack.expires_at)
    assert delete_expired_evidence_packs(pack.expires_at) == 1
