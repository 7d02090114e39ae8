"""The entry form offers the frameworks of the practitioner's own regulator (the PCF for
everyone, Social Work England's standards for England, the SSSC's core learning elements for
Scotland), and an entry keeps every link it has, whatever the regulator now is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Capability, Entry
from regulators.registrations import set_registration
from tests.factories import make_entry
from tests.portfolio.conftest import form_data  # noqa: F401 - a fixture

pytestmark = pytest.mark.calendar  # a complete entry may not be dated after today

NEW = reverse("portfolio:entry_create")


def _frameworks_offered(client, url: str = NEW) -> set[str]:
    page = client.get(url).content.decode()
    offered = set()
    for capability in Capability.objects.select_related("framework"):
        if f'value="{capability.pk}"' in page:
            offered.add(capability.framework.slug)
    return offered


def _register(user, code: str) -> None:
    set_registration(user, code, dt.date(2020, 3, 15), timezone.localdate())


def test_each_regulator_is_offered_its_own_frameworks(practitioner, client_for):
    client = client_for(practitioner)
    assert _frameworks_offered(client) == {"pcf", "swe-standards"}  # no row: England
    for code, expected in [
        ("sssc", {"pcf", "sssc-core-learning"}),
        ("niscc", {"pcf"}),
        ("scw", {"pcf"}),
        ("hcpc", {"pcf"}),
        ("swe", {"pcf", "swe-standards"}),
    ]:
        _register(practitioner, code)
        assert _frameworks_offered(client) == expected, code


def test_a_capability_not_offered_is_refused(practitioner, client_for, form_data):  # noqa: F811
    _register(practitioner, "niscc")
    response = client_for(practitioner).post(NEW, form_data)  # PCF5 and SWE4
    assert response.status_code == 200
    assert not Entry.objects.exists()


def test_an_entry_keeps_its_links_after_a_change_of_regulator(
    practitioner,
    client_for,
    form_data,  # noqa: F811
):
    swe4 = Capability.objects.get(code="SWE4")
    entry = make_entry(practitioner, occurred_on=timezone.localdate(), capabilities=[swe4])
    _register(practitioner, "sssc")
    client = client_for(practitioner)
    edit = reverse("portfolio:entry_edit", args=[entry.pk])
    assert _frameworks_offered(client, edit) == {"pcf", "sssc-core-learning", "swe-standards"}

    element = Capability.objects.filter(framework__slug="sssc-core-learning").first()
    data = {
        **form_data,
        "title": entry.title,
        "occurred_on": entry.occurred_on.isoformat(),
        "capabilities": [swe4.pk, element.pk],
    }
    assert client.post(edit, data).status_code == 302
    assert set(entry.capabilities.all()) == {swe4, element}
