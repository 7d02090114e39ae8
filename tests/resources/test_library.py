"""Finding resources and logging them: search relevance, filters, the "Log this" prefill."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.db import connection
from django.urls import reverse

from portfolio.models import ActivityType, Capability, Entry, Platform, Status
from resources import views
from resources.library import CappedCountPaginator, search_resources
from resources.log_this import entry_initial_from_resource
from resources.models import SEARCH_VECTOR, Resource, ResourceKind, ResourceTag
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


def test_of_very_many_matches_the_newest_are_ranked_and_the_page_says_so(
    corpus, client, monkeypatch
):
    monkeypatch.setattr("resources.library.RANKED_MATCHES", 3)
    monkeypatch.setattr("resources.views.RANKED_MATCHES", 3)
    older = make_resource(title="Capacity and consent, an older guide")
    newer = [make_resource(title=f"Notes on capacity {n}", summary="More.") for n in range(3)]

    found = list(search_resources(Resource.objects.all(), "capacity", full_text=True))

    assert set(found) == set(newer)  # the three added most recently; not the older title match
    assert older not in found and corpus["title"] not in found
    content = client.get(reverse("resources:resource_list"), {"q": "capacity"}).content.decode()
    assert "<strong>3</strong> or more resources match" in content
    assert "add a word to narrow the search" in content


def test_every_word_must_match_in_the_fallback(corpus):
    found = search_resources(Resource.objects.all(), "capacity night", full_text=False)

    assert list(found) == [corpus["body"]]


def test_full_text_search_uses_the_gin_index_and_parses_no_text(corpus):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is otherwise scanned
    plan = search_resources(Resource.objects.all(), "capacity", full_text=True).explain()

    assert "resource_search_vector_idx" in plan
    assert "to_tsvector" not in plan  # ranked on the stored vector, not on the texts again


def test_the_a_to_z_library_walks_its_index(db):
    make_resource(title="Only one")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    plan = Resource.objects.published()[:20].explain()

    assert "resource_published_a_to_z_idx" in plan
    assert "Sort" not in plan


# --- The stored search vector ------------------------------------------------------------------


def stale_vectors() -> list[str]:
    """Resources whose stored search vector differs from one computed from their texts now."""
    return [
        title
        for title, stored, fresh in Resource.objects.annotate(fresh=SEARCH_VECTOR).values_list(
            "title", "search_vector", "fresh"
        )
        if stored != fresh
    ]


def found_by(word: str) -> set[str]:
    return {r.title for r in search_resources(Resource.objects.all(), word, full_text=True)}


def test_the_stored_vector_follows_a_curators_edits(admin, client_for):
    client = client_for(admin)
    data = {
        "title": "Safeguarding adults: a primer",
        "kind": "article",
        "url": "https://example.org/primer",
        "source": "",
        "hashtag": "",
        "summary": "Written for newly qualified workers.",
        "tag_names": "",
    }
    client.post(reverse("resources:curation_resource_create"), data)
    resource = Resource.objects.get()
    assert found_by("safeguarding") == found_by("qualified") == {resource.title}

    client.post(
        reverse("resources:curation_resource_edit", args=[resource.pk]),
        {**data, "title": "Advocacy: a primer", "summary": "For students on placement."},
    )

    assert found_by("safeguarding") == found_by("qualified") == set()
    assert found_by("advocacy") == found_by("placement") == {"Advocacy: a primer"}
    assert stale_vectors() == []


def test_the_stored_vector_follows_imports_bulk_writes_and_updates(admin, client_for):
    client = client_for(admin)
    csv = (
        "title,url,kind,summary,source,hashtag\n"
        "Court skills,https://example.org/c,blog,Giving evidence,Lawyers Inc,#SWcourt\n"
    )
    client.post(
        reverse("resources:curation_import"),
        {"file": SimpleUploadedFile("r.csv", csv.encode(), content_type="text/csv")},
    )
    client.post(reverse("resources:curation_import_confirm"))
    assert found_by("evidence") == found_by("lawyers") == found_by("swcourt") == {"Court skills"}

    Resource.objects.bulk_create([Resource(title="Bulk", kind="blog", url="https://e.org/b")])
    Resource.objects.filter(title="Court skills").update(summary="Writing reports")

    assert found_by("evidence") == set()
    assert found_by("reports") == {"Court skills"}
    assert found_by("bulk") == {"Bulk"}
    assert stale_vectors() == []


def test_a_stale_vector_would_be_caught(db):
    """Control for the checks above: a vector that no longer matches its texts is reported."""
    resource = make_resource(title="Kinship care")
    with connection.cursor() as cursor:  # a column the database computes cannot be written:
        cursor.execute(  # let it stop computing this one, to stand for a stale vector
            "ALTER TABLE resources_resource ALTER COLUMN search_vector DROP EXPRESSION"
        )
    Resource.objects.filter(pk=resource.pk).update(title="Foster care")

    assert stale_vectors() == ["Foster care"]
    assert found_by("foster") == set()


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


def test_a_huge_library_counts_only_so_far_and_every_page_still_reads_a_to_z(
    db, client, monkeypatch
):
    monkeypatch.setattr(views, "LIBRARY_COUNT_LOOK_AHEAD", 25)
    for n in range(50):
        make_resource(title=f"Resource {n:02}")
    a_to_z = Paginator(list(Resource.objects.published()), views.LIBRARY_PAGE_SIZE)

    first = client.get(LIBRARY)
    last = client.get(LIBRARY, {"page": 3})
    searched = client.get(LIBRARY, {"page": 2, "q": "resource"})

    assert first.context["page"].paginator.count_is_capped
    assert "More than <strong>25</strong> resources" in first.content.decode()
    assert "Page 1 of 2 or more" in first.content.decode()
    assert 'rel="next"' in first.content.decode()
    assert list(first.context["page"].object_list) == list(a_to_z.page(1).object_list)
    assert list(last.context["page"].object_list) == list(a_to_z.page(3).object_list)
    assert not last.context["page"].paginator.count_is_capped  # 50 <= 40 + 25
    assert "<strong>50</strong> resources" in last.content.decode()
    assert "Page 3 of 3<" in last.content.decode()
    assert searched.context["page"].number == 2
    assert "More than <strong>45</strong> resources, best match first" in searched.content.decode()


@pytest.mark.parametrize("total", [19, 20, 21])
def test_the_capped_count_is_exact_up_to_the_cap(db, total):
    for n in range(total):
        make_resource(title=f"Resource {n:02}")

    page = CappedCountPaginator(Resource.objects.all(), 10, look_ahead=20).get_page(1)

    assert page.paginator.count == total
    assert page.paginator.count_is_capped is (total > 20)


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
