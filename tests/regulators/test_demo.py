"""`make run` shows a practitioner registered in Northern Ireland, on any day."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from portfolio.models import Entry
from regulators.registrations import current_period
from tests.clock import CALENDAR, DEFAULT_MOMENT, london_moment
from tests.regulators.test_pages import _words

MOMENTS = [london_moment(text) for text in (*CALENDAR, DEFAULT_MOMENT)]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", MOMENTS, ids=lambda moment: f"{moment:%Y-%m-%dT%H:%M}")
def test_the_northern_ireland_practitioner_has_a_period_and_entries_in_it(moment, client):
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=out)
        call_command("load_demo", stdout=StringIO())  # again: nothing twice
        today = timezone.localdate()
        assert "  practitioner  niscc.practitioner@example.org  demo-cpd-2026" in out.getvalue()
        niamh = User.objects.get(email="niscc.practitioner@example.org")
        regulator, period = current_period(niamh, today)
        assert regulator.code == "niscc"
        entries = Entry.objects.for_user(niamh)
        assert entries.count() == 5
        for entry in entries:
            assert period.start <= entry.occurred_on <= today, entry.title

        client.force_login(niamh)
        words = _words(client.get(reverse("portfolio:dashboard")))
    assert "Northern Ireland Social Care Council checklist" in words
    assert "of 90h of training and learning" in words
