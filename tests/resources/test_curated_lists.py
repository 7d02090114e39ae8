"""Curated lists are made without typing an address, start unpublished, and are published
only with something on them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.urls import reverse

from resources.curation import (
    NothingToPublish,
    add_to_list,
    save_list,
    set_publication,
    unique_slug,
)
from resources.models import CuratedList, Publication
from tests.resources.factories import make_list, make_resource

CREATE = reverse("resources:curation_list_create")


def edit_url(curated_list: CuratedList) -> str:
    return reverse("resources:curation_list_edit", args=[curated_list.pk])


def publication_url(curated_list: CuratedList) -> str:
    return reverse("resources:curation_list_publication", args=[curated_list.pk])


def test_an_address_is_made_from_the_title_with_a_number_on_a_clash(db):
    assert unique_slug(CuratedList, "Mental Capacity Act 2005: where to start") == (
        "mental-capacity-act-2005-where-to-start"
    )
    make_list(slug="accounts-worth-following")
    make_list(slug="accounts-worth-following-2")
    make_list(slug="accounts-worth-following-up")  # starts the same; no clash

    assert unique_slug(CuratedList, "Accounts worth following!") == "accounts-worth-following-3"
    assert unique_slug(CuratedList, "“”") == "curatedlist"  # nothing to make one from
    assert len(unique_slug(CuratedList, "word " * 40)) <= 50


def test_a_new_list_gets_its_address_and_starts_unpublished(db):
    curated_list = save_list(CuratedList(title="Podcasts for the commute"))

    curated_list.refresh_from_db()
    assert curated_list.slug == "podcasts-for-the-commute"
    assert curated_list.status == Publication.DRAFT
    second = save_list(CuratedList(title="Podcasts for the commute"))
    assert second.slug == "podcasts-for-the-commute-2"


def test_renaming_a_list_keeps_its_address(db):
    curated_list = save_list(CuratedList(title="Blogs"))
    curated_list.title = "Blogs worth reading"

    save_list(curated_list)

    curated_list.refresh_from_db()
    assert (curated_list.title, curated_list.slug) == ("Blogs worth reading", "blogs")


def test_the_database_refuses_a_list_without_an_address(db):
    with pytest.raises(IntegrityError):
        CuratedList.objects.create(title="No address", slug="")


def test_a_list_is_published_only_with_a_published_resource_on_it(db):
    curated_list = save_list(CuratedList(title="Getting started"))
    with pytest.raises(NothingToPublish, match="add at least one"):
        set_publication(curated_list, Publication.PUBLISHED)
    retired = make_resource(status=Publication.RETIRED)
    make_list([retired], slug="only-retired", status=Publication.DRAFT)
    with pytest.raises(NothingToPublish):
        set_publication(CuratedList.objects.get(slug="only-retired"), Publication.PUBLISHED)

    curated_list.refresh_from_db()
    assert curated_list.status == Publication.DRAFT

    add_to_list(curated_list, make_resource(), "Start here.")
    set_publication(curated_list, Publication.PUBLISHED)

    curated_list.refresh_from_db()
    assert curated_list.status == Publication.PUBLISHED


def test_a_curator_creates_a_list_without_typing_an_address(admin, client_for, practitioner):
    client = client_for(admin)
    form_page = client.get(CREATE).content.decode()
    assert "Address (optional)" in form_page
    assert "Leave it empty to make it from the title." in form_page

    response = client.post(CREATE, {"title": "Care Act 2014 essentials", "slug": ""})

    curated_list = CuratedList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(curated_list)
    assert curated_list.slug == "care-act-2014-essentials"
    assert curated_list.status == Publication.DRAFT
    edit_page = client.get(edit_url(curated_list)).content.decode()
    assert "not published yet" in edit_page.lower()
    assert "Practitioners cannot see this list until you publish it" in edit_page
    # Not published: practitioners find nothing at its address.
    assert client_for(practitioner).get(curated_list.get_absolute_url()).status_code == 404


def test_a_curator_may_still_choose_the_address(admin, client_for):
    client = client_for(admin)
    make_list(slug="taken")

    client.post(CREATE, {"title": "Chosen", "slug": "my-address"})
    clash = client.post(CREATE, {"title": "Clash", "slug": "taken"})

    assert CuratedList.objects.filter(slug="my-address", title="Chosen").exists()
    assert clash.status_code == 200
    assert clash.context["form"].errors["slug"]
    assert not CuratedList.objects.filter(title="Clash").exists()


def test_editing_the_title_keeps_the_address_unless_the_curator_changes_it(admin, client_for):
    curated_list = make_list(title="Blogs", slug="blogs")
    client = client_for(admin)
    page = client.get(edit_url(curated_list)).content.decode()
    assert "Now /library/lists/blogs/." in page

    client.post(edit_url(curated_list), {"title": "Blogs worth reading", "slug": ""})
    curated_list.refresh_from_db()
    assert (curated_list.title, curated_list.slug) == ("Blogs worth reading", "blogs")

    client.post(edit_url(curated_list), {"title": "Blogs worth reading", "slug": "blogs-2026"})
    curated_list.refresh_from_db()
    assert curated_list.slug == "blogs-2026"


def test_publishing_an_empty_list_is_refused_with_a_clear_message(admin, client_for):
    client = client_for(admin)
    client.post(CREATE, {"title": "Empty so far"})
    curated_list = CuratedList.objects.get()

    refused = client.post(publication_url(curated_list), {"status": "published"}, follow=True)

    curated_list.refresh_from_db()
    assert curated_list.status == Publication.DRAFT
    assert refused.redirect_chain[-1][0] == edit_url(curated_list)
    assert "“Empty so far” has no published resource on it yet" in refused.content.decode()

    resource = make_resource(title="A first read")
    client.post(
        reverse("resources:curation_item_add", args=[curated_list.pk]), {"resource": resource.pk}
    )
    client.post(publication_url(curated_list), {"status": "published"})

    curated_list.refresh_from_db()
    assert curated_list.status == Publication.PUBLISHED
    assert "A first read" in client.get(curated_list.get_absolute_url()).content.decode()


def test_a_curator_cannot_set_a_list_back_to_draft(admin, client_for):
    curated_list = make_list([make_resource()])

    response = client_for(admin).post(publication_url(curated_list), {"status": "draft"})

    assert response.status_code == 400
    curated_list.refresh_from_db()
    assert curated_list.status == Publication.PUBLISHED


@pytest.mark.parametrize("role", ["practitioner", "programme_leader", None])
def test_only_curators_make_or_publish_lists(db, role, user_for, client_for):
    draft = save_list(CuratedList(title="Draft"))
    client = client_for(user_for(role))

    responses = [
        client.get(CREATE),
        client.post(CREATE, {"title": "Sneaked in"}),
        client.post(edit_url(draft), {"title": "Renamed", "slug": "renamed"}),
        client.post(publication_url(draft), {"status": "published"}),
    ]

    if role is None:  # a visitor is sent to log in
        assert all(
            r.status_code == 302 and r["Location"].startswith(reverse("account_login"))
            for r in responses
        )
    else:
        assert [r.status_code for r in responses] == [403, 403, 403, 403]
    draft.refresh_from_db()
    assert (draft.title, draft.slug, draft.status) == ("Draft", "draft", Publication.DRAFT)
    assert not CuratedList.objects.filter(title="Sneaked in").exists()
