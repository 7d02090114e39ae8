"""validate_entry: an entry's rules in one place, and every way of writing an entry held to them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from api.tokens import Scope, create_token
from capture.forms import QuickCaptureForm
from imports.forms import StagedEntryForm
from imports.importers.base import ProposedEntry
from portfolio import entry_rules
from portfolio.entry_rules import entry_link, titles_in_log, validate_entry
from portfolio.forms import EntryForm
from portfolio.models import ActivityType
from tests.factories import make_entry
from tests.imports.staged import staged_batch

TODAY = dt.date(2027, 5, 12)
COMPLETE = {
    "title": "Chat on supervision",
    "occurred_on": dt.date(2027, 5, 1),
    "duration_minutes": 60,
    "what_happened": "Joined the chat.",
    "what_learned": "How others run group supervision.",
    "impact": "I will try a group session with the team.",
}


def judge(values, owner=None, **rules):
    rules.setdefault("complete", True)
    return validate_entry(values, owner, TODAY, **rules)


def test_a_complete_entry_needs_its_reflection_and_time_but_a_draft_does_not():
    sketch = {"title": "A thread", "occurred_on": dt.date(2027, 5, 1)}
    complete = judge(sketch)
    assert set(complete.errors) == {"what_happened", "what_learned", "impact", "duration_minutes"}
    assert not complete.can_be_complete
    draft = judge(sketch, complete=False)
    assert draft.errors == {} and draft.missing == complete.missing
    assert judge(COMPLETE).errors == {} and judge(COMPLETE).can_be_complete


def test_a_peer_discussion_says_who_and_what_when_complete():
    verdict = judge({**COMPLETE, "is_peer_reflected": True, "peer_role": " "})
    assert set(verdict.errors) == {"peer_role", "peer_learning"}


def test_only_a_draft_may_be_dated_in_the_future():
    tomorrow = {**COMPLETE, "occurred_on": TODAY + dt.timedelta(days=1)}
    assert "in the future" in judge(tomorrow).errors["occurred_on"]
    assert judge(tomorrow, complete=False).errors == {}
    assert judge({**COMPLETE, "occurred_on": TODAY}).errors == {}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"occurred_on": dt.date(1999, 12, 31)}, "occurred_on", "before 2000: check the year"),
        ({"duration_minutes": 0}, "duration_minutes", "more than zero"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes", "more than 24 hours"),
    ],
)
def test_what_no_entry_may_hold_is_refused_even_for_a_draft(change, field, message):
    assert message in judge({**COMPLETE, **change}, complete=False).errors[field]


def test_identifying_details_stop_a_save_until_confirmed():
    values = {**COMPLETE, "what_happened": "Visited, NHS number 943 476 5919."}
    verdict = judge(values, complete=False)
    assert [f.kind for f in verdict.findings] == ["nhs_number"]
    assert "could identify a person" in verdict.errors["confirm_no_identifying_details"]
    assert judge(values, complete=False, confirmed=True).errors == {}


def test_names_and_addresses_warn_but_never_stop_a_save():
    values = {**COMPLETE, "what_happened": "Met Mrs Jones at 14 Acacia Road."}
    verdict = judge(values, complete=True)
    assert [f.kind for f in verdict.findings] == ["titled_name", "street_address"]
    assert verdict.findings_to_confirm == []
    assert verdict.errors == {}


def test_the_log_is_asked_whether_it_holds_the_entry_already(
    practitioner, other_practitioner, django_assert_num_queries
):
    mine = make_entry(
        practitioner, title="Chat on Supervision", occurred_on=COMPLETE["occurred_on"]
    )
    make_entry(other_practitioner, title="Another chat", occurred_on=COMPLETE["occurred_on"])
    assert judge(COMPLETE, practitioner).already_in_log
    assert not judge({**COMPLETE, "id": mine.pk}, practitioner).already_in_log  # itself
    assert not judge({**COMPLETE, "title": "Another chat"}, practitioner).already_in_log
    assert not judge({**COMPLETE, "occurred_on": TODAY}, practitioner).already_in_log
    titles = titles_in_log(practitioner)
    with django_assert_num_queries(0):
        assert judge(COMPLETE, practitioner, log_titles=titles).already_in_log


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("example.org/post", "https://example.org/post"),
        (" http://example.org ", "http://example.org"),
        ("", ""),
    ],
)
def test_a_link_is_read_as_https_when_typed_without_a_scheme(typed, kept):
    assert entry_link(typed) == kept


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "ftp://example.org/f", "not a link"])
def test_a_link_that_is_not_http_is_refused(typed):
    with pytest.raises(ValidationError, match="http:// or https://"):
        entry_link(typed)


# --- Every way in follows the one rule --------------------------------------------------------


@pytest.fixture
def earliest_2020(monkeypatch):
    """A rule changed in entry_rules alone: every form and the API must follow it."""
    monkeypatch.setattr(entry_rules, "EARLIEST_DATE", dt.date(2020, 1, 1))
    return "before 2020: check the year"


OLD_DAY = "2019-06-01"


def test_the_entry_form_follows_the_rules(practitioner, earliest_2020):
    data = {"title": "Old", "activity_type": ActivityType.READING, "occurred_on": OLD_DAY}
    form = EntryForm({**data, "action": "draft"}, owner=practitioner)
    assert earliest_2020 in str(form.errors["occurred_on"])


def test_the_api_follows_the_rules(practitioner, earliest_2020):
    client = APIClient()
    secret = create_token(practitioner, name="Test", scope=Scope.WRITE)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    data = {"title": "Old", "activity_type": ActivityType.READING, "occurred_on": OLD_DAY}
    response = client.post("/api/v1/activities/", data, format="json")
    assert response.status_code == 400
    assert earliest_2020 in str(response.json()["occurred_on"])


def test_quick_capture_follows_the_rules(practitioner, earliest_2020):
    data = {"client_id": str(uuid.uuid4()), "title": "Old", "occurred_on": OLD_DAY}
    form = QuickCaptureForm(data, owner=practitioner)
    assert earliest_2020 in str(form.errors["occurred_on"])


def test_an_import_review_follows_the_rules(practitioner, earliest_2020):
    batch = staged_batch(
        practitioner,
        [ProposedEntry("csv:1", "reading", "Old", dt.date(2021, 1, 1))],
    )
    entry = batch.entries.get()
    data = {"title": "Old", "activity_type": ActivityType.READING, "occurred_on": OLD_DAY}
    form = StagedEntryForm(data, instance=entry)
    assert earliest_2020 in str(form.errors["occurred_on"])
