"""The import pages: upload, bad input with clear messages and nothing lost, the review (ticks
with and without JavaScript, edits, counts), confirming and discarding, and query counts."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import WorkState
from imports.models import ImportBatch, ImportSource
from imports.staging import confirm_import, stage_import
from portfolio.models import Entry, Status
from tests.imports.staged import pdf_attachment, proposal, staged_batch, tweet, x_archive

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def client(practitioner, client_for):
    return client_for(practitioner)


def upload_x(client, content: bytes, name: str = "twitter.zip", **data):
    return client.post(
        reverse("imports:list"),
        {"source": "x", "file": SimpleUploadedFile(name, content), **data},
    )


def staged_through_the_page(client, django_capture_on_commit_callbacks, content: bytes):
    """Upload as the page does, then stage as the worker would."""
    with django_capture_on_commit_callbacks():
        response = upload_x(client, content)
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    stage_import(batch.pk, last_try=True)
    batch.refresh_from_db()
    return batch


def test_the_page_explains_each_source_and_accepts_only_what_they_read(client):
    response = client.get(reverse("imports:list"))

    html = response.content.decode()
    assert "The .zip X sent you, or data/tweets.js from inside it." in html
    assert 'accept=".atom,.csv,.js,.json,.rss,.xml,.zip"' in html
    assert reverse("imports:csv_template") in html
    assert 'name="feed_url"' in html and 'name="own_feed"' in html
    assert "A retweet or boost of someone else's post: a “tweet or thread read” entry" in html


def test_the_log_and_the_dashboard_link_to_imports(client):
    url = reverse("imports:list")
    for page in ("portfolio:entry_list", "portfolio:dashboard"):
        assert f'href="{url}"' in client.get(reverse(page)).content.decode()


def test_an_upload_is_staged_for_review_and_nothing_is_created(
    client, practitioner, django_capture_on_commit_callbacks
):
    batch = staged_through_the_page(
        client, django_capture_on_commit_callbacks, x_archive([tweet(1), tweet(2), tweet(3)])
    )

    response = client.get(batch.get_absolute_url())

    assert batch.is_reviewable
    assert Entry.objects.count() == 0
    html = response.content.decode()
    assert re.search(r"<strong>3</strong> to import\.", html)
    assert html.count('name="include"') == 3
    assert "Import the ticked entries" in html
    assert "Discard this import" in html


def test_the_progress_bar_is_polled_while_pending(client, practitioner):
    batch = ImportBatch.objects.create(
        owner=practitioner, source=ImportSource.X, progress=40, step="Stored 400 of 1,000 entries"
    )

    page = client.get(batch.get_absolute_url()).content.decode()
    polled = client.get(reverse("imports:status", args=[batch.pk]), HTTP_HX_REQUEST="true")

    status_url = reverse("imports:status", args=[batch.pk])
    assert f'hx-get="{status_url}"' in page
    assert '<progress id="import-progress" max="100" value="40">' in page
    assert "Stored 400 of 1,000 entries" in polled.content.decode()
    assert "<html" not in polled.content.decode()
    assert polled["Cache-Control"] == "no-store"
    assert "HX-Refresh" not in polled

    ImportBatch.objects.filter(pk=batch.pk).update(state=WorkState.DONE)
    done = client.get(reverse("imports:status", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


# --- Bad input ------------------------------------------------------------------------------


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(
    client, settings, private_media
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024

    response = upload_x(client, b"PK\x03\x04" + b"0" * 200_000)

    assert response.status_code == 413
    assert "larger than 1.0\xa0KB, the most we can import at once" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.zip"))


def test_an_upload_just_over_the_limit_is_refused_with_its_size(client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024

    response = upload_x(client, b"PK\x03\x04" + b"0" * 2000)

    html = response.content.decode()
    assert response.status_code == 200
    assert "twitter.zip is 2.0\xa0KB; the largest file we can import is 1.0\xa0KB." in html
    assert not ImportBatch.objects.exists()


def test_the_wrong_type_of_file_is_refused_and_the_form_kept(client):
    response = client.post(
        reverse("imports:list"),
        {
            "source": "mastodon",
            "file": SimpleUploadedFile("notes.docx", b"PK\x03\x04"),
            "own_feed": "",
        },
    )

    html = response.content.decode()
    assert "notes.docx is not a file this import reads. Upload the .zip Mastodon sent you" in html
    assert re.search(r'<input type="radio" name="source" value="mastodon"[^>]*checked', html)
    assert "nothing you typed has been lost" in html
    assert not ImportBatch.objects.exists()


def test_a_feed_address_is_only_for_feeds(client):
    response = client.post(
        reverse("imports:list"),
        {"source": "csv", "feed_url": "https://blog.example.org/feed"},
    )

    assert "Only a blog feed is imported from an address." in response.content.decode()
    assert 'value="https://blog.example.org/feed"' in response.content.decode()


def test_a_file_the_parser_rejects_shows_its_message_and_the_form_again(
    client, django_capture_on_commit_callbacks
):
    batch = staged_through_the_page(
        client, django_capture_on_commit_callbacks, x_archive([{"tweet": {"id_str": "1"}}])
    )

    html = client.get(batch.get_absolute_url()).content.decode()

    assert "This file could not be imported" in html
    assert "Post 1 in data/tweets.js is not in the form an X archive uses" in html
    assert re.search(r'<input type="radio" name="source" value="x"[^>]*checked', html)
    assert 'enctype="multipart/form-data"' in html
    assert Entry.objects.count() == 0


# --- Reviewing ------------------------------------------------------------------------------


def test_hostile_html_in_a_proposal_is_shown_as_text(client, practitioner):
    batch = staged_batch(
        practitioner, [proposal(1, title=HOSTILE, what_happened=HOSTILE, tag_names=[HOSTILE])]
    )

    html = client.get(batch.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_entries_already_in_the_log_are_shown_apart_and_counted(client, practitioner):
    confirm_import(staged_batch(practitioner, [proposal(1)]))
    batch = staged_batch(practitioner, [proposal(1), proposal(2)])

    html = client.get(batch.get_absolute_url()).content.decode()

    assert re.search(r"<strong>1</strong> to import, 1 already in your log\.", html)
    assert re.search(r'class="staged-entry already">.*?already in your log', html, re.S)
    assert html.count('name="include"') == 1


def test_ticks_save_as_each_box_changes(client, practitioner):
    batch = staged_batch(practitioner, [proposal(1), proposal(2), proposal(3)])
    first, second, third = batch.entries.all()

    response = client.post(
        reverse("imports:choices", args=[batch.pk]),
        {"page": "1", "shown": [first.pk, second.pk, third.pk], "include": [first.pk, third.pk]},
        HTTP_HX_REQUEST="true",
    )

    assert re.search(r"<strong>2</strong> to import, 1 left out\.", response.content.decode())
    assert list(batch.entries.values_list("include", flat=True)) == [True, False, True]


def test_ticks_save_without_javascript_and_return_to_the_page(client, practitioner):
    batch = staged_batch(practitioner, [proposal(1), proposal(2)])
    first, second = batch.entries.all()

    response = client.post(
        reverse("imports:choices", args=[batch.pk]),
        {"page": "1", "select": "page", "shown": [first.pk, second.pk], "include": [second.pk]},
    )

    assert response["Location"] == batch.get_absolute_url() + "?page=1"
    assert list(batch.entries.values_list("include", flat=True)) == [False, True]


def test_select_none_then_all(client, practitioner):
    batch = staged_batch(practitioner, [proposal(n) for n in range(60)])
    url = reverse("imports:choices", args=[batch.pk])

    client.post(url, {"select": "none"})
    assert not batch.entries.filter(include=True).exists()
    client.post(url, {"select": "all"})
    assert batch.entries.filter(include=True).count() == 60


def test_the_review_pages_through_large_imports(client, practitioner):
    batch = staged_batch(practitioner, [proposal(n) for n in range(120)])

    html = client.get(batch.get_absolute_url() + "?page=3").content.decode()

    assert "Page 3 of 3" in html
    assert html.count('name="include"') == 20
    assert "Post 119 on strengths-based practice" in html


def test_editing_an_entry_reads_times_and_dates_like_the_entry_form(client, practitioner):
    batch = staged_batch(practitioner, [proposal(1)])
    entry = batch.entries.get()
    url = reverse("imports:entry_edit", args=[batch.pk, entry.pk])
    form_page = client.get(url).content.decode()
    assert 'value="20m"' in form_page

    bad = client.post(url, {"title": "Kept title", "activity_type": "reading", "duration": "soon"})
    assert "“soon” is not a time we understand." in bad.content.decode()
    assert 'value="Kept title"' in bad.content.decode()

    response = client.post(
        url,
        {
            "title": "Kept title",
            "activity_type": "reading",
            "occurred_on": "09/03/2026",
            "duration": "1h 30m",
            "tag_names": "#MCA, audit",
            "what_happened": "Read it.",
        },
    )

    assert response["Location"] == f"{batch.get_absolute_url()}?page=1#entry-{entry.pk}"
    entry.refresh_from_db()
    assert (entry.title, entry.duration_minutes, entry.tag_names, str(entry.occurred_on)) == (
        "Kept title",
        90,
        ["MCA", "audit"],
        "2026-03-09",
    )


def test_confirming_creates_the_entries_and_lists_them(client, practitioner):
    batch = staged_batch(
        practitioner, [proposal(1), proposal(2, impact=""), proposal(3)], source=ImportSource.X
    )
    batch.entries.filter(position=2).update(include=False)

    response = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)

    html = response.content.decode()
    assert "Imported 2 entries into your log." in html
    created = Entry.objects.for_user(practitioner).order_by("source_key")
    assert [(a.source_key, a.status) for a in created] == [
        ("test:item:1", Status.COMPLETE),
        ("test:item:2", Status.DRAFT),
    ]
    for entry in created:
        assert entry.get_absolute_url() in html

    again = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "This import is no longer open for changes." in again.content.decode()
    assert Entry.objects.count() == 2


def test_nothing_changes_once_confirmed(client, practitioner):
    batch = staged_batch(practitioner, [proposal(1), proposal(2)])
    client.post(reverse("imports:confirm", args=[batch.pk]))
    entry = batch.entries.first()

    responses = [
        client.post(reverse("imports:choices", args=[batch.pk]), {"select": "none"}),
        client.post(
            reverse("imports:entry_edit", args=[batch.pk, entry.pk]),
            {"title": "Changed", "activity_type": "reading", "occurred_on": "2026-03-09"},
        ),
        client.post(reverse("imports:discard", args=[batch.pk])),
    ]

    assert all(r["Location"] == batch.get_absolute_url() for r in responses)
    assert batch.entries.filter(include=True).count() == 2
    assert not Entry.objects.filter(title="Changed").exists()
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


def test_discarding_returns_to_the_imports_page(client, practitioner, private_media):
    batch = staged_batch(practitioner, [proposal(1, attachments=[pdf_attachment()])])

    response = client.post(reverse("imports:discard", args=[batch.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("imports:list")
    assert "Discarded the import: nothing from it was kept." in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("size", [10, 300])
def test_the_review_page_takes_the_same_queries_however_many_entries(
    client, practitioner, size, django_assert_max_num_queries
):
    batch = staged_batch(
        practitioner,
        [proposal(n, attachments=[pdf_attachment()] if n % 2 else []) for n in range(size)],
    )

    # session, user, batch, the counts, the page count, the page, its files (and messages)
    with django_assert_max_num_queries(8):
        response = client.get(batch.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 300])
def test_the_imports_page_takes_the_same_queries_however_many_imports(
    client, practitioner, size, django_assert_max_num_queries
):
    ImportBatch.objects.bulk_create(
        ImportBatch(owner=practitioner, source=ImportSource.CSV, state=WorkState.DONE)
        for _ in range(size)
    )

    with django_assert_max_num_queries(4):
        response = client.get(reverse("imports:list"))

    assert response.status_code == 200
