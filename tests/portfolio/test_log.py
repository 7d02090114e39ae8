import datetime as dt

import pytest
from django.urls import reverse

from portfolio.entries import save_entry
from portfolio.models import ActivityType, Capability, Entry, Evidence, Status, Tag
from tests.clock import london_moment
from tests.factories import make_entry

LOG = reverse("portfolio:entry_list")


@pytest.fixture
def log(practitioner, other_practitioner):
    pcf6 = Capability.objects.get(code="PCF6")
    chat = make_entry(
        practitioner,
        title="SWSCmedia chat",
        activity_type=ActivityType.LIVE_CHAT,
        hashtag="SWSCmedia",
        occurred_on=dt.date(2026, 11, 1),
    )
    blog = make_entry(
        practitioner,
        title="Musings of a social work academic",
        activity_type=ActivityType.BLOG_READ,
        occurred_on=dt.date(2026, 2, 14),
        what_learned="Anonymity brings its own problems.",
        capabilities=[pcf6],
    )
    old = make_entry(
        practitioner,
        title="Forum thread",
        activity_type=ActivityType.FORUM,
        occurred_on=dt.date(2025, 6, 1),
    )
    draft = make_entry(
        practitioner,
        title="Webinar to write up",
        status=Status.DRAFT,
        activity_type=ActivityType.WEBINAR,
        occurred_on=dt.date(2026, 10, 1),
    )
    save_entry(blog, owner=practitioner, capabilities=[pcf6], tag_names=["anonymity"])
    make_entry(other_practitioner, title="Someone else's SWSCmedia chat", hashtag="SWSCmedia")
    return {"chat": chat, "blog": blog, "old": old, "draft": draft}


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "SWSCmedia chat",
                "Webinar to write up",
                "Musings of a social work academic",
                "Forum thread",
            ],
        ),
        ({"activity_type": "blog_read"}, ["Musings of a social work academic"]),
        ({"status": "draft"}, ["Webinar to write up"]),
        (
            {"year": "2026"},
            ["SWSCmedia chat", "Webinar to write up", "Musings of a social work academic"],
        ),
        ({"year": "2025"}, ["Forum thread"]),
        (
            {"date_from": "2026-02-01", "date_to": "2026-10-31"},
            ["Webinar to write up", "Musings of a social work academic"],
        ),
        ({"q": "anonymity"}, ["Musings of a social work academic"]),
        ({"q": "#swscmedia"}, ["SWSCmedia chat"]),
        ({"q": "social academic"}, ["Musings of a social work academic"]),
        ({"q": "nothing-matches-this"}, []),
    ],
)
def test_log_filters_newest_first(practitioner, client_for, log, query, expected):
    response = client_for(practitioner).get(LOG, query)
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.time_machine(london_moment("2027-05-12T10:30"), tick=False)
def test_the_year_filter_offers_every_year_with_an_entry(
    practitioner, other_practitioner, client_for, log
):
    # An old archive's first day of one CPD year, and the last day of the one before.
    imported = make_entry(practitioner, title="Imported tweet", occurred_on=dt.date(2011, 12, 1))
    make_entry(practitioner, title="Older tweet", occurred_on=dt.date(2011, 11, 30))
    make_entry(other_practitioner, occurred_on=dt.date(2019, 1, 1))

    response = client_for(practitioner).get(LOG, {"year": "2012"})

    assert response.context["form"].fields["year"].choices == [
        ("", "Any year"),
        ("2027", "2026–27"),  # the current year, though it holds nothing yet
        ("2026", "2025–26"),
        ("2025", "2024–25"),
        ("2012", "2011–12"),
        ("2011", "2010–11"),
    ]
    assert titles(response) == [imported.title]


def test_the_filter_form_shows_labels_and_not_the_apis_help_texts(practitioner, client_for, log):
    client = client_for(practitioner)
    # The API shares these filters: describing them in its schema leaves the page as it is.
    assert client.get("/api/schema/").status_code == 200
    response = client.get(LOG)

    form = response.context["form"]
    assert {name: form[name].label for name in form.fields} == {
        "q": "Search",
        "activity_type": "Type",
        "capability": "Capability",
        "tag": "Tag",
        "year": "CPD year",
        "date_from": "From",
        "date_to": "To",
        "status": "Status",
    }
    assert not any(field.help_text for field in form.fields.values())
    assert "Entries dated on or after this day." not in response.content.decode()


def test_filter_by_capability_and_tag(practitioner, client_for, log):
    client = client_for(practitioner)
    pcf6 = Capability.objects.get(code="PCF6")
    assert titles(client.get(LOG, {"capability": pcf6.pk})) == ["Musings of a social work academic"]
    tag = log["blog"].tags.get()
    assert titles(client.get(LOG, {"tag": tag.pk})) == ["Musings of a social work academic"]


def test_reversed_date_range_is_reported_and_ignored(practitioner, client_for, log):
    response = client_for(practitioner).get(
        LOG, {"date_from": "2026-10-01", "date_to": "2026-01-01"}
    )
    assert response.context["form"].errors["date_to"] == ["The end date is before the start date."]
    assert "The end date is before the start date." in response.content.decode()


def test_htmx_request_gets_only_the_results(practitioner, client_for, log):
    response = client_for(practitioner).get(LOG, {"q": "chat"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    # The results, after the filters' count (out of band: test_filtering_in_place_...).
    assert html.split("</summary>", 1)[1].lstrip().startswith('<section id="results"')
    assert "<html" not in html and "<form" not in html
    assert "SWSCmedia chat" in html


def test_paginates_twenty_a_page_and_keeps_filters(practitioner, client_for):
    Entry.objects.bulk_create(
        [
            Entry(
                owner=practitioner,
                title=f"Thread {n:02d}",
                activity_type=ActivityType.TWEET_READ,
                occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                status=Status.DRAFT,  # bare entries: a complete one carries its reflection
            )
            for n in range(25)
        ]
    )
    client = client_for(practitioner)
    first = client.get(LOG, {"activity_type": "tweet_read"})
    assert titles(first)[0] == "Thread 24"
    assert len(titles(first)) == 20
    assert 'href="?activity_type=tweet_read&amp;page=2"' in first.content.decode()
    second = client.get(LOG, {"activity_type": "tweet_read", "page": 2})
    assert titles(second) == [f"Thread {n:02d}" for n in range(4, -1, -1)]


def test_a_search_pages_its_matches_newest_first_with_their_details(
    practitioner, client_for, django_assert_max_num_queries
):
    for n in range(30):
        entry = make_entry(
            practitioner,
            title=f"Thread {n:02d}" + (" on supervision" if n % 5 else ""),
            occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        )
        save_entry(entry, owner=practitioner, capabilities=[], tag_names=[f"tag {n}"])
    client = client_for(practitioner)

    with django_assert_max_num_queries(10):
        first = client.get(LOG, {"q": "supervision"})
    second = client.get(LOG, {"q": "supervision", "page": 2})

    matching = [f"Thread {n:02d} on supervision" for n in range(29, -1, -1) if n % 5]
    assert first.context["page"].paginator.count == 24 == len(matching)
    assert titles(first) == matching[:20]  # newest first
    assert titles(second) == matching[20:]
    # Each row still carries its tags and file count, as a row of the plain log does.
    row = first.context["page"].object_list[0]
    assert [t.name for t in row.tags.all()] == ["tag 29"]
    assert row.evidence_count == 0
    fewer = client.get(LOG, {"q": "supervision", "date_from": "2026-01-20"})
    assert titles(fewer) == [t for t in matching if t[7:9] >= "19"]


def test_a_word_naming_tags_finds_each_entry_once(practitioner, other_practitioner, client_for):
    # Matched by its tag and its title, and by two words naming two of its tags.
    both = make_entry(practitioner, title="Supervision notes")
    save_entry(both, owner=practitioner, capabilities=[], tag_names=["supervision", "ethics"])
    tagged = make_entry(practitioner, title="Team meeting")
    save_entry(tagged, owner=practitioner, capabilities=[], tag_names=["supervision"])
    make_entry(practitioner, title="Unrelated reading")
    # Someone else's tag of the same name finds nothing in this log.
    theirs = make_entry(other_practitioner, title="Their meeting")
    save_entry(theirs, owner=other_practitioner, capabilities=[], tag_names=["supervision"])
    client = client_for(practitioner)

    found = client.get(LOG, {"q": "SUPERVISION"})
    assert sorted(titles(found)) == ["Supervision notes", "Team meeting"]
    assert found.context["page"].paginator.count == 2
    assert titles(client.get(LOG, {"q": "supervision ethics"})) == ["Supervision notes"]


def test_each_row_counts_its_own_files(practitioner, client_for, log):
    files = {log["chat"]: 3, log["blog"]: 1}
    for entry, count in files.items():
        Evidence.objects.bulk_create(
            Evidence(entry=entry, file="evidence/x.pdf", original_name="x.pdf", size=1)
            for _ in range(count)
        )
    client = client_for(practitioner)

    for query in ({}, {"q": "anonymity"}, {"tag": log["blog"].tags.get().pk}):
        page = client.get(LOG, query).context["page"]
        assert {entry.title: entry.evidence_count for entry in page} == {
            entry.title: files.get(entry, 0) for entry in page
        }
        assert page.paginator.count == len(page.object_list)
    html = client.get(LOG).content.decode()
    assert "3 files" in html and "1 file<" in html


def test_a_choice_from_outside_the_lists_is_reported_and_left_out(
    practitioner, other_practitioner, client_for, log
):
    theirs = Tag.objects.create(owner=other_practitioner, name="theirs")
    response = client_for(practitioner).get(
        LOG, {"tag": theirs.pk, "capability": "x", "activity_type": "blog_read"}
    )
    errors = response.context["form"].errors
    assert (
        errors["tag"]
        == errors["capability"]
        == ["Select a valid choice. That choice is not one of the available choices."]
    )
    assert titles(response) == ["Musings of a social work academic"]
    tag_choices = [label for _, label in response.context["form"].fields["tag"].choices]
    assert tag_choices == ["Any tag", "anonymity"]


@pytest.mark.parametrize(
    ("query", "summary"),
    [
        ({}, '<summary id="log-filter-summary">Filter</summary>'),
        ({"q": "  ", "page": "2"}, '<summary id="log-filter-summary">Filter</summary>'),
        ({"q": "chat"}, '<summary id="log-filter-summary">Filter (1 active)</summary>'),
        (
            {"q": "chat", "activity_type": "live_chat", "date_from": "not a date"},
            '<summary id="log-filter-summary">Filter (3 active)</summary>',
        ),
    ],
)
def test_the_folded_filters_say_how_many_are_active(practitioner, client_for, log, query, summary):
    html = client_for(practitioner).get(LOG, query).content.decode()

    assert summary in html


def test_filtering_in_place_brings_the_new_count_out_of_band(practitioner, client_for, log):
    client = client_for(practitioner)

    swapped = client.get(LOG, {"q": "chat", "status": "complete"}, HTTP_HX_REQUEST="true")
    again = client.get(LOG, {"q": "chat", "status": "complete"})  # the same address, in full

    html = swapped.content.decode()
    assert html.lstrip().startswith(
        '<summary id="log-filter-summary" hx-swap-oob="true">Filter (2 active)</summary>'
    )
    assert '<section id="results"' in html and "<details" not in html
    assert "hx-swap-oob" not in again.content.decode()  # the full page keeps its own summary
