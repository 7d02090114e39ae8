"""The log through the API: filters, pages, writes judged by the web form's rules, retried
creations made once, and a list that costs the same number of queries however long it is."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from portfolio.entries import save_entry
from portfolio.models import ActivityType, Capability, Entry, Platform, Status, Tag
from tests.factories import make_entry

ACTIVITIES = "/api/v1/activities/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def complete_entry() -> dict:
    return {
        "status": "complete",
        "title": "#SWSCmedia chat on social media in education",
        "activity_type": "live_chat",
        "platform": "x",
        "url": "https://example.org/chat",
        "occurred_on": yesterday(),
        "duration_minutes": 60,
        "hashtag": "#SWSCmedia",
        "what_happened": "Joined the hour-long chat with students and academics.",
        "what_learned": "Students want practitioners in the conversation.",
        "impact": "I will share two papers with my team each month.",
        "capabilities": [
            Capability.objects.get(code="PCF5").pk,
            Capability.objects.get(code="SWE4").pk,
        ],
        "tags": ["social media", "#Education", "Social Media"],
    }


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


# --- Creating ----------------------------------------------------------------------------


def test_creates_a_complete_entry_as_the_web_form_would(practitioner, api_for, complete_entry):
    response = api_for(practitioner).post(ACTIVITIES, complete_entry, format="json")
    assert response.status_code == 201, response.json()
    entry = Entry.objects.get()
    body = response.json()
    assert body["id"] == entry.pk
    assert (entry.owner, entry.status, entry.duration_minutes) == (
        practitioner,
        Status.COMPLETE,
        60,
    )
    assert entry.hashtag == body["hashtag"] == "SWSCmedia"
    assert sorted(body["tags"]) == ["Education", "social media"]
    assert sorted(c.code for c in entry.capabilities.all()) == ["PCF5", "SWE4"]
    assert body["evidence_count"] == 0
    assert "confirm_no_identifying_details" not in body


def test_an_entry_is_a_draft_unless_it_says_otherwise(practitioner, api_for):
    response = api_for(practitioner).post(
        ACTIVITIES,
        {"title": "Podcast to reflect on", "activity_type": "reading", "occurred_on": yesterday()},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"


def test_a_link_without_a_scheme_is_read_as_https(practitioner, api_for, complete_entry):
    response = api_for(practitioner).post(
        ACTIVITIES, {**complete_entry, "url": "example.org/post"}, format="json"
    )
    assert response.json()["url"] == "https://example.org/post"


def test_a_retried_creation_with_the_same_client_id_returns_the_first_entry(
    practitioner, api_for, complete_entry
):
    client = api_for(practitioner)
    payload = {**complete_entry, "client_id": str(uuid.uuid4())}
    first = client.post(ACTIVITIES, payload, format="json")
    again = client.post(ACTIVITIES, payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Entry.objects.count() == 1
    assert again.json()["client_id"] == payload["client_id"]
    other = client.post(ACTIVITIES, {**payload, "client_id": str(uuid.uuid4())}, format="json")
    assert other.status_code == 201
    assert Entry.objects.count() == 2


def test_client_ids_are_per_user(practitioner, other_practitioner, api_for, complete_entry):
    payload = {**complete_entry, "client_id": str(uuid.uuid4())}
    assert api_for(practitioner).post(ACTIVITIES, payload, format="json").status_code == 201
    theirs = api_for(other_practitioner).post(ACTIVITIES, payload, format="json")
    assert theirs.status_code == 201
    assert Entry.objects.filter(owner=other_practitioner).count() == 1


def test_hostile_html_is_stored_as_text_and_returned_as_it_was_sent(
    practitioner, api_for, client_for, complete_entry
):
    payload = {**complete_entry, "title": HOSTILE, "what_learned": HOSTILE}
    response = api_for(practitioner).post(ACTIVITIES, payload, format="json")
    assert response.status_code == 201
    assert response.json()["title"] == response.json()["what_learned"] == HOSTILE
    assert Entry.objects.get().title == HOSTILE
    page = client_for(practitioner).get(Entry.objects.get().get_absolute_url())
    assert HOSTILE not in page.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.content.decode()


# --- Refusing, with the web form's messages, and losing nothing --------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"what_learned": "  "}, "what_learned", "A complete entry needs this part"),
        ({"duration_minutes": None}, "duration_minutes", "Enter the time you spent."),
        ({"duration_minutes": 2000}, "duration_minutes", "That is more than 24 hours"),
        ({"occurred_on": "2026-02-30"}, "occurred_on", "Date has wrong format"),
        ({"occurred_on": "21/11/2026"}, "occurred_on", "Date has wrong format"),
        ({"occurred_on": "1999-12-31"}, "occurred_on", "is before 2000: check the year"),
        (
            {"occurred_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
            "occurred_on",
            "A complete entry cannot be dated in the future",
        ),
        ({"url": "javascript:alert(1)"}, "url", "starts with http:// or https://"),
        ({"url": "ftp://example.org/file"}, "url", "starts with http:// or https://"),
        ({"activity_type": "gossip"}, "activity_type", "is not a valid choice"),
        ({"capabilities": [999999]}, "capabilities", "object does not exist"),
        ({"is_peer_reflected": True}, "peer_role", "their role, not their name"),
        ({"tags": ["law, policy"]}, "tags", "cannot contain a comma"),
        (
            {"what_happened": "Met Mrs Jones, NHS number 943 476 5919, at home."},
            "confirm_no_identifying_details",
            "could identify a person who uses services",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    practitioner, api_for, complete_entry, change, field, message
):
    response = api_for(practitioner).post(ACTIVITIES, {**complete_entry, **change}, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])  # a list's errors are keyed by position
    assert not Entry.objects.exists()


def test_a_future_date_is_fine_for_a_draft(practitioner, api_for, complete_entry):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    payload = {**complete_entry, "status": "draft", "occurred_on": tomorrow}
    assert api_for(practitioner).post(ACTIVITIES, payload, format="json").status_code == 201


def test_confirming_that_nobody_is_identified_saves_the_entry(
    practitioner, api_for, complete_entry
):
    payload = {
        **complete_entry,
        "what_happened": "Met Mrs Jones, NHS number 943 476 5919, at home.",
        "confirm_no_identifying_details": True,
    }
    assert api_for(practitioner).post(ACTIVITIES, payload, format="json").status_code == 201


def test_a_name_and_an_address_are_reported_with_the_saved_entry_not_refused(
    practitioner, api_for, complete_entry
):
    payload = {**complete_entry, "what_happened": "Visited Mrs Jones at 14 Acacia Road."}

    created = api_for(practitioner).post(ACTIVITIES, payload, format="json")
    read = api_for(practitioner).get(f"{ACTIVITIES}{created.json()['id']}/")

    assert created.status_code == 201
    details = created.json()["identifying_details"]
    assert [(d["field"], d["kind"], d["excerpt"]) for d in details] == [
        ("what_happened", "titled_name", "Mrs Jones"),
        ("what_happened", "street_address", "14 Acacia Road"),
    ]
    assert details[0]["label"] == "name with a title"
    assert read.json()["identifying_details"] == []  # a read does not scan the text
    changed = api_for(practitioner).patch(
        f"{ACTIVITIES}{created.json()['id']}/", {"impact": "I met John Smith."}, format="json"
    )
    assert changed.status_code == 200
    assert [d["excerpt"] for d in changed.json()["identifying_details"]] == [
        "Mrs Jones",
        "14 Acacia Road",
        "John Smith",
    ]


def test_a_refused_change_leaves_the_entry_as_it_was(practitioner, api_for):
    entry = make_entry(practitioner, title="As it was")
    response = api_for(practitioner).patch(
        f"{ACTIVITIES}{entry.pk}/", {"title": "New", "impact": ""}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"impact": ["A complete entry needs this part of the reflection."]}
    entry.refresh_from_db()
    assert entry.title == "As it was"
    assert entry.impact.startswith("I will open assessments")


# --- Changing and deleting ---------------------------------------------------------------


def test_patch_changes_only_what_it_sends(practitioner, api_for):
    pcf5 = Capability.objects.get(code="PCF5")
    entry = save_entry(
        make_entry(practitioner, title="Old title"),
        owner=practitioner,
        capabilities=[pcf5],
        tag_names=["supervision"],
    )
    response = api_for(practitioner).patch(
        f"{ACTIVITIES}{entry.pk}/", {"title": "New title"}, format="json"
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.title == "New title"
    assert entry.status == Status.COMPLETE
    assert list(entry.capabilities.all()) == [pcf5]
    assert [t.name for t in entry.tags.all()] == ["supervision"]
    assert response.json()["tags"] == ["supervision"]


def test_put_replaces_the_fields_it_names_and_keeps_the_rest(practitioner, api_for):
    entry = make_entry(practitioner, title="Old title")
    response = api_for(practitioner).put(
        f"{ACTIVITIES}{entry.pk}/",
        {
            "title": "Drafted again",
            "activity_type": "webinar",
            "occurred_on": "2026-01-05",
            "status": "draft",
            "tags": ["Care Act"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert (entry.title, entry.activity_type, entry.status) == (
        "Drafted again",
        ActivityType.WEBINAR,
        Status.DRAFT,
    )
    assert entry.what_learned  # not sent, so kept
    assert [t.name for t in entry.tags.all()] == ["Care Act"]


def test_put_must_name_the_required_fields(practitioner, api_for):
    entry = make_entry(practitioner)
    response = api_for(practitioner).put(
        f"{ACTIVITIES}{entry.pk}/", {"title": "Only a title"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"activity_type", "occurred_on"}


def test_delete_removes_the_entry(practitioner, api_for):
    entry = make_entry(practitioner)
    assert api_for(practitioner).delete(f"{ACTIVITIES}{entry.pk}/").status_code == 204
    assert not Entry.objects.exists()


# --- Filters and pages -------------------------------------------------------------------


@pytest.fixture
def log(practitioner):
    pcf5, swe4 = Capability.objects.get(code="PCF5"), Capability.objects.get(code="SWE4")
    entries = {
        "chat": make_entry(
            practitioner,
            title="Chat on supervision",
            activity_type=ActivityType.LIVE_CHAT,
            platform=Platform.X,
            occurred_on=dt.date(2026, 1, 10),
            capabilities=[pcf5],
        ),
        "blog": make_entry(
            practitioner,
            title="Blog on the Care Act",
            activity_type=ActivityType.BLOG_READ,
            platform=Platform.BLOG,
            occurred_on=dt.date(2026, 2, 10),
            capabilities=[swe4],
        ),
        "draft": make_entry(
            practitioner,
            title="Draft about thresholds",
            status=Status.DRAFT,
            platform=Platform.X,
            occurred_on=dt.date(2026, 3, 10),
        ),
    }
    entries["blog"].tags.add(Tag.objects.create(owner=practitioner, name="Law"))
    return entries


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Draft about thresholds", "Blog on the Care Act", "Chat on supervision"]),
        ("status=draft", ["Draft about thresholds"]),
        ("status=complete", ["Blog on the Care Act", "Chat on supervision"]),
        ("activity_type=live_chat", ["Chat on supervision"]),
        ("platform=x", ["Draft about thresholds", "Chat on supervision"]),
        ("date_from=2026-02-01", ["Draft about thresholds", "Blog on the Care Act"]),
        ("date_to=2026-02-10", ["Blog on the Care Act", "Chat on supervision"]),
        ("date_from=2026-02-01&date_to=2026-02-28", ["Blog on the Care Act"]),
        ("capability=pcf5", ["Chat on supervision"]),
        ("tag=law", ["Blog on the Care Act"]),
        ("tag=%23Law", ["Blog on the Care Act"]),
        ("tag=unknown", []),
        ("capability=NOPE", []),
        ("q=care+act", ["Blog on the Care Act"]),
        ("q=law", ["Blog on the Care Act"]),
    ],
)
def test_filters(practitioner, api_for, log, query, expected):
    response = api_for(practitioner).get(f"{ACTIVITIES}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_by_capability_id(practitioner, api_for, log):
    swe4 = Capability.objects.get(code="SWE4")
    assert titles(api_for(practitioner).get(f"{ACTIVITIES}?capability={swe4.pk}")) == [
        "Blog on the Care Act"
    ]


def test_updated_since_finds_what_changed(practitioner, api_for, log):
    later = timezone.now() + dt.timedelta(minutes=5)
    Entry.objects.filter(pk=log["chat"].pk).update(updated_at=later + dt.timedelta(seconds=1))
    query = {"updated_since": later.isoformat()}
    assert titles(api_for(practitioner).get(ACTIVITIES, query)) == ["Chat on supervision"]


def test_updated_since_takes_any_offset_iso_8601_allows(practitioner, api_for, log):
    # PostgreSQL itself refuses offsets of 16 hours or more.
    query = {"updated_since": "2000-01-01T00:00:00-20:37"}
    assert len(titles(api_for(practitioner).get(ACTIVITIES, query))) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("updated_since=9999-12-31T23:00:00-05:00", "updated_since"),
        ("status=finished", "status"),
        ("date_from=yesterday", "date_from"),
        ("updated_since=soon", "updated_since"),
    ],
)
def test_invalid_filters_are_refused_with_a_message(practitioner, api_for, query, field):
    response = api_for(practitioner).get(f"{ACTIVITIES}?{query}")
    assert response.status_code == 400
    assert response.json()[field]


def test_a_reversed_date_range_is_refused_as_the_page_reports_it(practitioner, api_for, log):
    response = api_for(practitioner).get(
        ACTIVITIES, {"date_from": "2026-02-10", "date_to": "2026-01-10"}
    )
    assert response.json() == {"date_to": ["The end date is before the start date."]}


def test_pages_are_stable_and_capped(practitioner, api_for):
    day = dt.date(2026, 1, 1)
    for n in range(25):
        make_entry(practitioner, title=f"Entry {n:02}", occurred_on=day)  # all on one day
    client = api_for(practitioner)
    first = client.get(ACTIVITIES).json()
    assert (first["count"], len(first["results"])) == (25, 20)
    second = client.get(first["next"]).json()
    assert second["next"] is None
    seen = titles_of(first) + titles_of(second)
    assert sorted(seen) == [f"Entry {n:02}" for n in range(25)]
    assert len(client.get(f"{ACTIVITIES}?page_size=1000").json()["results"]) == 25
    assert client.get(f"{ACTIVITIES}?page=9").status_code == 404


def titles_of(page: dict) -> list[str]:
    return [row["title"] for row in page["results"]]


@pytest.mark.parametrize("entries", [5, 100])
def test_the_list_costs_the_same_queries_however_long_the_log(
    practitioner, api_for, django_assert_max_num_queries, entries
):
    capabilities = list(Capability.objects.all()[:3])
    tag = Tag.objects.create(owner=practitioner, name="supervision")
    for _ in range(entries):
        entry = make_entry(practitioner, capabilities=capabilities)
        entry.tags.add(tag)
    client = api_for(practitioner)
    # Token lookup and its last use, count, page, capabilities, tags.
    with django_assert_max_num_queries(6):
        response = client.get(f"{ACTIVITIES}?page_size=100")
    assert len(response.json()["results"]) == min(entries, 100)
