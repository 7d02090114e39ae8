"""Where answers are shown besides the entry: counted on the dashboard (in constant queries,
and at once through its cache), listed to leaders the student shares with, printed in packs."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.cpd_year import cpd_year_containing
from peer_confirmations import requests
from peer_confirmations.shown import confirmed_discussions
from portfolio.models import Entry, Status
from programmes.models import SnapshotEntry
from tests.cached_pages import CACHED_SECONDS
from tests.factories import make_entry
from tests.packs.conftest import build_now, open_pack
from tests.packs.test_pack_contents import pdf_text
from tests.programmes.conftest import PEER_TITLE

from .conftest import PEER_TEXT, confirm

pytestmark = pytest.mark.calendar
DASHBOARD = reverse("portfolio:dashboard")
HOSTILE = '<script>alert("x")</script>'


def peer_entry_of(owner, **fields) -> Entry:
    values = {
        "occurred_on": timezone.localdate(),
        "is_peer_reflected": True,
        "peer_learning": PEER_TEXT,
    } | fields
    return make_entry(owner, **values)


def dashboard_count(client) -> int:
    html = client.get(DASHBOARD).content.decode()
    found = re.search(
        r'<span class="stat">(\d+)</span> peer discussions? confirmed by a colleague', html
    )
    return int(found[1])


# --- The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_counts_discussions_confirmed_as_they_read_now(
    practitioner, other_practitioner, ask, client_for
):
    year = cpd_year_containing(timezone.localdate())
    confirmed_twice = peer_entry_of(practitioner)
    confirm(ask(confirmed_twice)[0])
    confirm(ask(confirmed_twice, "second@example.net")[0])
    confirm(ask(peer_entry_of(practitioner))[0])
    confirm(ask(peer_entry_of(practitioner))[0], correction="Not quite.")  # not a confirmation
    edited = peer_entry_of(practitioner)
    confirm(ask(edited)[0])
    Entry.objects.filter(pk=edited.pk).update(peer_learning="Rewritten since.")
    removed = confirm(ask(peer_entry_of(practitioner))[0])
    requests.remove(removed)
    ask(peer_entry_of(practitioner))  # asked, not answered
    confirm(ask(peer_entry_of(practitioner, status=Status.DRAFT))[0])
    confirm(ask(peer_entry_of(practitioner, occurred_on=year.start - dt.timedelta(days=1)))[0])
    confirm(ask(peer_entry_of(other_practitioner))[0])

    assert confirmed_discussions(practitioner, year) == 2
    assert dashboard_count(client_for(practitioner)) == 2


def test_the_count_costs_the_same_queries_however_many_answers(
    practitioner, ask, client_for, django_assert_num_queries, rendered_afresh
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(practitioner)
    confirm(ask(peer_entry_of(practitioner))[0])
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as few:
        assert dashboard_count(client) == 1
    for n in range(6):
        confirm(ask(peer_entry_of(practitioner), f"colleague{n}@example.net")[0])
    with django_assert_num_queries(len(few)):
        assert dashboard_count(client) == 7


def test_a_cached_dashboard_shows_an_answer_given_since(practitioner, ask, client_for, settings):
    settings.FRAGMENT_CACHE_SECONDS = CACHED_SECONDS
    entry = peer_entry_of(practitioner)
    client = client_for(practitioner)
    confirmation, _ = ask(entry)
    assert dashboard_count(client) == 0  # now cached

    confirm(confirmation)
    assert dashboard_count(client) == 1
    requests.remove(confirmation)
    assert dashboard_count(client) == 0


# --- Leaders the student shares with -------------------------------------------------------------


def peer_entry_in(world) -> Entry:
    return Entry.objects.get(owner=world.student, title=PEER_TITLE)


def submission_page(client, world) -> str:
    return client.get(reverse("programmes:submission_detail", args=[world.submission.pk]))


def test_a_leader_with_consent_sees_the_answer_beside_the_submitted_discussion(
    world, ask, client_for
):
    confirm(ask(peer_entry_in(world))[0], correction="We also said " + HOSTILE)

    for reader in (world.leader, world.student):
        html = submission_page(client_for(reader), world).content.decode()
        assert (
            "Sam Colleague" in html and "SW654321" in html and "replied with a correction" in html
        )
        assert HOSTILE not in html and "&lt;script&gt;" in html
        assert "earlier version" not in html


def test_the_answer_is_judged_against_the_version_the_leader_reads(world, ask, client_for):
    entry = peer_entry_in(world)
    submitted = SnapshotEntry.objects.get(live_entry=entry)
    confirm(ask(entry)[0])
    entry.peer_learning = "Rewritten after the submission."
    entry.save()
    html = submission_page(client_for(world.leader), world).content.decode()
    assert "Sam Colleague" in html and "earlier version" not in html  # the submitted text

    SnapshotEntry.objects.filter(pk=submitted.pk).update(peer_learning="Another text.")
    html = submission_page(client_for(world.leader), world).content.decode()
    assert "Confirmed an earlier version" in html


def test_a_leader_without_consent_sees_nothing(world, ask, client_for):
    confirm(ask(peer_entry_in(world))[0])
    world.revoke()
    assert submission_page(client_for(world.leader), world).status_code == 404
    assert submission_page(client_for(world.other_leader), world).status_code == 404
    assert submission_page(client_for(world.other_practitioner), world).status_code == 404


def test_a_removed_answer_is_not_listed_to_leaders(world, ask, client_for):
    confirmation = confirm(ask(peer_entry_in(world))[0])
    requests.remove(confirmation)
    assert "Sam Colleague" not in submission_page(client_for(world.leader), world).content.decode()


# --- Evidence packs ------------------------------------------------------------------------------


@pytest.mark.time_machine(dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC))
def test_the_pack_prints_the_answers(
    practitioner, ask, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_RENDER_PROCESSES = 1
    entry = peer_entry_of(practitioner, occurred_on=dt.date(2026, 3, 4), title="Thresholds talk")
    confirm(ask(entry)[0])
    confirm(
        ask(entry, "second@example.net")[0], correction="We said more " + HOSTILE, name="Kim Lee"
    )
    Entry.objects.filter(pk=entry.pk).update(peer_learning="Rewritten since.")
    removed = confirm(ask(entry, "third@example.net")[0], name="Removed Person")
    requests.remove(removed)
    period = {"period": cpd_year_containing(dt.date(2026, 3, 4))}

    pack = open_pack(build_now(practitioner, django_capture_on_commit_callbacks, **period))

    text = " ".join(pdf_text(pack.read("portfolio.pdf")).split())
    assert "Peer discussions confirmed by a colleague" in text
    assert "Sam Colleague, Team manager (SW654321)" in text
    assert "Kim Lee" in text and "Removed Person" not in text
    assert "Answered an earlier version" in text
    assert "Replied with a correction: We said more " + HOSTILE in text  # escaped: shown as text
    header = json.loads(pack.read("portfolio.json"))
    answers = header["peer_confirmations"]
    assert [a["by"] for a in answers] == ["Sam Colleague", "Kim Lee"]
    assert answers[1]["correction"] == "We said more " + HOSTILE
    assert all(a["of_earlier_text"] for a in answers)
