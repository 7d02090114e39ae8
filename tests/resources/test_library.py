"""Finding resources and logging them: search relevance, filters, the "Log this" prefill."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from portfolio.models import ActivityType, Capability, Entry, Platform, Status
from resources.library import search_resources
from resources.log_this import entry_initial_from_resource
from resources.models import Resource, ResourceKind, ResourceTag
from tests.resources.factories import make_resource

LIBRARY = reverse("resources:resource_list")


@pytest.fixture
def corpus(db) -> dict[str, Resource]:
    """A small library where "capacity" is in one title, in one summary, and nowhere else."""
    return {
        "title": make_resource(
            title="Mental Capacity Act code of practice",
            kind=ResourceKind.POLICY,
            summary="The statutory guidance on the Act.",
        ),
        "body": make_resource(
            title="A blog on supervision",
            summary="Supervision notes, with a long aside on assessing capacity at night.",
        ),
        "source": make_resource(
            title="Weekly legal roundup",
            summary="Case law for practitioners.",
            source="The Capacity Project",
        ),
        "unrelated": make_resource(title="Podcast on strengths-based practice"),
    }


@pytest.mark.parametrize("full_text", [True, False], ids=["postgresql", "fallback"])
def test_a_title_match_ranks_above_a_match_in_the_text(corpus, full_text):
    found = list(search_resources(Resource.objects.all(), "capacity", full_text=full_text))

    assert found[0] == corpus["title"]
    assert set(found[1:]) == {corpus["body"], corpus["source"]}
    assert corpus["unrelated"] not in found


def test_full_text_search_stems_and_understands_web_search_syntax(corpus):
    def titles(text):
        return [r.title for r in search_resources(Resource.objects.all(), text, full_text=True)]

    assert titles("assessments") == ["A blog on supervision"]  # "assessing" stems alike
    assert titles('"code of practice"') == ["Mental Capacity Act code of practice"]
    assert corpus["title"].title not in titles("capacity -statutory")
    assert titles("nothing-like-this") == []


def test_every_word_must_match_in_the_fallback(corpus):
    found = search_resources(Resource.objects.all(), "capacity night", full_text=False)

    assert list(found) == [corpus["body"]]


def test_full_text_search_uses_the_gin_index(corpus):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is otherwise scanned
    plan = search_resources(Resource.objects.all(), "capacity", full_text=True).explain()

    assert "resource_search_vector_idx" in plan


def test_library_page_searches_only_published_resources(corpus, client):
    corpus["title"].status = "retired"
    corpus["title"].save()

    response = client.get(LIBRARY, {"q": "capacity"})

    assert list(response.context["page"].object_list) == [corpus["body"], corpus["source"]]
    assert "best match first" in response.content.decode()


def test_library_filters_by_kind_capability_and_topic(db, client):
    pcf5, swe4 = Capability.objects.get(code="PCF5"), Capability.objects.get(code="SWE4")
    topic = ResourceTag.objects.create(name="mental capacity")
    both = make_resource(kind=ResourceKind.PODCAST, capabilities=[pcf5, swe4], tags=[topic])
    make_resource(kind=ResourceKind.PODCAST, capabilities=[swe4])
    make_resource(kind=ResourceKind.BLOG, capabilities=[pcf5], tags=[topic])

    response = client.get(LIBRARY, {"kind": "podcast", "capability": pcf5.pk, "tag": topic.pk})

    assert list(response.context["page"].object_list) == [both]


def test_the_filter_form_shows_labels_and_not_the_apis_help_texts(db, client):
    # The API shares these filters: describing them in its schema leaves the page as it is.
    assert client.get("/api/schema/").status_code == 200
    response = client.get(LIBRARY)

    form = response.context["form"]
    assert {name: form[name].label for name in form.fields} == {
        "q": "Search",
        "kind": "Kind",
        "capability": "Capability",
        "tag": "Topic",
    }
    assert not any(field.help_text for field in form.fields.values())
    assert "best match first" not in response.content.decode()


def test_an_invalid_filter_is_reported_and_the_rest_still_apply(db, client):
    podcast = make_resource(kind=ResourceKind.PODCAST)
    make_resource(kind=ResourceKind.BLOG)

    response = client.get(LIBRARY, {"kind": "podcast", "tag": "not-a-number"})

    assert "tag" in response.context["form"].errors
    assert list(response.context["page"].object_list) == [podcast]


def test_the_library_reads_a_to_z_without_a_search(db, client):
    for title in ["community care", "Blogs", "a first read"]:
        make_resource(title=title)

    titles = [r.title for r in client.get(LIBRARY).context["page"].object_list]

    assert titles == ["a first read", "Blogs", "community care"]


# --- "Log this" ------------------------------------------------------------------------------


@pytest.fixture
def chat_resource(db) -> Resource:
    return make_resource(
        title="#SWSCmedia",
        kind=ResourceKind.HASHTAG,
        url="https://x.com/hashtag/SWSCmedia",
        platform=Platform.X,
        hashtag="SWSCmedia",
        capabilities=list(Capability.objects.filter(code__in=["PCF6", "SWE4"])),
    )


def test_log_this_fills_in_the_entry_form(chat_resource, practitioner, client_for):
    response = client_for(practitioner).get(
        reverse("portfolio:entry_create"), {"resource": chat_resource.pk}
    )

    form = response.context["form"]
    assert form["title"].value() == "#SWSCmedia"
    assert form["url"].value() == "https://x.com/hashtag/SWSCmedia"
    assert form["activity_type"].value() == ActivityType.LIVE_CHAT
    assert form["platform"].value() == Platform.X
    assert form["hashtag"].value() == "#SWSCmedia"
    assert form["resource"].value() == chat_resource.pk
    ticked = {c.code for _, choices in form.capability_groups for c, on in choices if on}
    assert ticked == {"PCF6", "SWE4"}
    content = response.content.decode()
    assert f'name="resource" value="{chat_resource.pk}"' in content


@pytest.mark.parametrize(
    ("kind", "activity_type", "platform"),
    [
        (ResourceKind.BLOG, ActivityType.BLOG_READ, Platform.BLOG),
        (ResourceKind.ARTICLE, ActivityType.READING, Platform.WEBSITE),
        (ResourceKind.COMMUNITY, ActivityType.FORUM, Platform.FORUM),
        (ResourceKind.PODCAST, ActivityType.OTHER, Platform.PODCAST),
        (ResourceKind.SOCIAL_ACCOUNT, ActivityType.TWEET_READ, ""),
    ],
)
def test_each_kind_becomes_a_fitting_entry(db, kind, activity_type, platform):
    initial = entry_initial_from_resource(make_resource(kind=kind))

    assert (initial["activity_type"], initial["platform"]) == (activity_type, platform)


def test_a_resources_own_platform_wins(db):
    account = make_resource(kind=ResourceKind.SOCIAL_ACCOUNT, platform=Platform.BLUESKY)

    assert entry_initial_from_resource(account)["platform"] == Platform.BLUESKY


@pytest.mark.parametrize("value", ["retired", "missing", "not-a-number", ""])
def test_log_this_with_a_bad_resource_opens_an_empty_form(
    value, chat_resource, practitioner, client_for
):
    if value == "retired":
        chat_resource.status = "retired"
        chat_resource.save()
    query = {"retired": chat_resource.pk, "missing": chat_resource.pk + 1000}.get(value, value)

    response = client_for(practitioner).get(reverse("portfolio:entry_create"), {"resource": query})

    assert response.status_code == 200
    assert response.context["form"]["title"].value() is None
    assert response.context["form"]["resource"].value() is None


def test_the_new_entry_remembers_its_resource(chat_resource, practitioner, client_for):
    client = client_for(practitioner)
    data = {
        "title": "#SWSCmedia chat on supervision",
        "activity_type": ActivityType.LIVE_CHAT,
        "occurred_on": "2026-03-10",
        "resource": chat_resource.pk,
        "action": "draft",
    }

    client.post(reverse("portfolio:entry_create"), data)

    entry = Entry.objects.get(owner=practitioner)
    assert (entry.resource, entry.status) == (chat_resource, Status.DRAFT)
    page = client.get(chat_resource.get_absolute_url()).content.decode()
    assert "#SWSCmedia chat on supervision" in page
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert chat_resource.get_absolute_url() in detail


def test_deleting_a_resource_keeps_the_entries_logged_from_it(chat_resource, practitioner):
    entry = Entry.objects.create(
        owner=practitioner,
        title="Read it",
        activity_type=ActivityType.READING,
        occurred_on="2026-03-10",
        resource=chat_resource,
    )

    chat_resource.delete()

    entry.refresh_from_db()
    assert entry.resource is None
