"""Staging and confirming an import: nothing reaches the log before the confirmation, which is
atomic and happens once; the same file twice creates nothing new; ticks, edits and the status
rules decide what is created."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core.models import WorkState
from imports import staging as imports
from imports.importers import feeds
from imports.importers.base import PARSERS, Attachment, ImportRejected
from imports.models import ImportBatch, ImportSource, StagedAttachment
from imports.staging import (
    check_upload,
    choose_all,
    choose_entries,
    confirm_import,
    discard_abandoned_imports,
    discard_import,
    import_counts,
    stage_import,
    start_import,
)
from portfolio.entries import save_entry
from portfolio.models import ActivityType, Capability, Entry, Evidence, Platform, Status, Tag
from tests.factories import make_entry
from tests.imports.staged import (
    BLOG_FEED,
    DAY,
    pdf_attachment,
    proposal,
    retweet,
    staged_batch,
    tweet,
    x_archive,
)


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_the_sources_are_the_parsers():
    assert set(ImportSource.values) == set(PARSERS)


def test_staging_creates_nothing_in_the_log(practitioner):
    batch = staged_batch(practitioner, [proposal(1), proposal(2)])

    assert Entry.objects.count() == 0
    assert list(batch.entries.values_list("title", "include", "position")) == [
        ("Post 1 on strengths-based practice", True, 0),
        ("Post 2 on strengths-based practice", True, 1),
    ]
    assert import_counts(batch) == imports.ImportCounts(to_import=2, left_out=0, already=0)


def test_confirming_creates_the_ticked_entries_with_their_source(practitioner):
    pcf5 = Capability.objects.get(code="PCF5")
    batch = staged_batch(
        practitioner,
        [
            proposal(1, capability_codes=["pcf:PCF5", "SWE4"], tag_names=["#MCA", "mca", "Audit"]),
            proposal(2),
            proposal(3),
        ],
    )
    choose_entries(batch, shown=batch.entries.values_list("pk", flat=True), ticked=[])
    first = batch.entries.get(position=0)
    choose_entries(batch, shown=[first.pk], ticked=[first.pk])

    assert confirm_import(batch)

    created = Entry.objects.for_user(practitioner).get()
    assert created.source_key == "test:item:1"
    assert created.status == Status.COMPLETE
    assert {c.code for c in created.capabilities.all()} == {pcf5.code, "SWE4"}
    assert sorted(t.name for t in created.tags.all()) == ["Audit", "MCA"]
    assert batch.created_count == 1 and batch.confirmed_at is not None
    assert batch.entries.get(position=0).logged_entry == created


def test_tags_reuse_the_owners_existing_ones(practitioner):
    existing = Tag.objects.create(owner=practitioner, name="Supervision")
    batch = staged_batch(practitioner, [proposal(1, tag_names=["supervision"]), proposal(2)])

    confirm_import(batch)

    assert Tag.objects.for_user(practitioner).get() == existing
    assert list(existing.entries.values_list("source_key", flat=True)) == ["test:item:1"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({}, Status.COMPLETE),
        ({"impact": ""}, Status.DRAFT),
        ({"what_learned": "  "}, Status.DRAFT),
        ({"duration_minutes": None}, Status.DRAFT),
        ({"occurred_on": dt.date(2026, 3, 11)}, Status.DRAFT),  # after "today" below
        ({"is_peer_reflected": True, "peer_role": "team manager"}, Status.DRAFT),
        (
            {"is_peer_reflected": True, "peer_role": "team manager", "peer_learning": "Agreed."},
            Status.COMPLETE,
        ),
    ],
)
def test_only_a_whole_reflection_with_a_time_and_a_past_date_comes_in_complete(
    practitioner, change, status
):
    batch = staged_batch(practitioner, [proposal(1, **change)])

    confirm_import(batch, today=DAY)

    assert Entry.objects.for_user(practitioner).get().status == status


def test_the_same_file_twice_creates_nothing_new(practitioner):
    proposals = [proposal(1), proposal(2)]
    confirm_import(staged_batch(practitioner, proposals))

    again = staged_batch(practitioner, proposals)

    assert list(again.entries.values_list("already_in_log", "include")) == [(True, False)] * 2
    assert import_counts(again) == imports.ImportCounts(to_import=0, left_out=0, already=2)
    choose_all(again, include=True)  # ticking "all" never ticks what is in the log
    assert confirm_import(again)
    assert again.created_count == 0
    assert Entry.objects.for_user(practitioner).count() == 2


def test_an_item_repeated_in_the_file_is_staged_once(practitioner):
    batch = staged_batch(practitioner, [proposal(1), proposal(2), proposal(1, title="Again")])

    repeated = batch.entries.get(position=2)
    assert (repeated.repeated, repeated.already_in_log, repeated.include) == (True, False, False)
    confirm_import(batch)
    assert Entry.objects.for_user(practitioner).count() == 2


def test_another_users_log_does_not_count_as_already_imported(practitioner, other_practitioner):
    confirm_import(staged_batch(other_practitioner, [proposal(1)]))

    batch = staged_batch(practitioner, [proposal(1)])

    assert batch.entries.get().already_in_log is False


def test_an_entry_confirmed_by_another_import_meanwhile_is_left_out(practitioner):
    first, second = (staged_batch(practitioner, [proposal(1), proposal(2)]) for _ in range(2))
    confirm_import(first)

    assert confirm_import(second)

    assert second.created_count == 0
    assert Entry.objects.for_user(practitioner).count() == 2
    assert second.entries.filter(already_in_log=True).count() == 2


def test_edits_are_what_is_created(practitioner):
    batch = staged_batch(practitioner, [proposal(1)])
    batch.entries.update(title="My own title", activity_type=ActivityType.READING, impact="")

    confirm_import(batch)

    created = Entry.objects.for_user(practitioner).get()
    assert (created.title, created.activity_type, created.status) == (
        "My own title",
        ActivityType.READING,
        Status.DRAFT,
    )


def test_a_second_confirmation_creates_nothing_more(practitioner):
    batch = staged_batch(practitioner, [proposal(1), proposal(2)])
    assert confirm_import(batch)

    stale_copy = ImportBatch.objects.get(pk=batch.pk)
    stale_copy.confirmed_at = None  # a second request that read the batch before the first
    assert confirm_import(stale_copy) is False
    assert Entry.objects.for_user(practitioner).count() == 2


def test_proposals_are_made_to_fit_and_say_what_was_left_out(practitioner):
    batch = staged_batch(
        practitioner,
        [
            proposal(
                1,
                title="x" * 300,
                url="javascript:alert(1)",
                activity_type="made_up",
                platform="myspace",
                duration_minutes=5000,
                hashtag="#SWSCmedia",
                capability_codes=["PCF5", "NOPE9"],
            )
        ],
    )

    entry = batch.entries.get()
    assert len(entry.title) == 200 and entry.title.endswith("…")
    assert (entry.url, entry.activity_type, entry.platform, entry.duration_minutes) == (
        "",
        "other",
        "",
        None,
    )
    assert entry.hashtag == "SWSCmedia"
    assert entry.capability_codes == ["PCF5"]
    assert len(entry.notes) == 3
    assert "NOPE9" in entry.notes[2]


# --- Attachments -----------------------------------------------------------------------------


def test_attachments_become_evidence_and_their_staged_copies_go(
    practitioner, private_media, django_capture_on_commit_callbacks
):
    batch = staged_batch(practitioner, [proposal(1, attachments=[pdf_attachment()])])
    staged = StagedAttachment.objects.get()
    assert (staged.original_name, staged.content_type, staged.size) == (
        "certificate.pdf",
        "application/pdf",
        len(pdf_attachment().content),
    )

    with django_capture_on_commit_callbacks(execute=True):
        confirm_import(batch)

    evidence = Evidence.objects.for_user(practitioner).get()
    assert evidence.original_name == "certificate.pdf"
    assert evidence.file.read() == pdf_attachment().content
    assert not StagedAttachment.objects.exists()
    assert stored_files(private_media) == [evidence.file.name]


def test_an_unacceptable_attachment_is_flagged_at_staging_not_kept(practitioner, private_media):
    disguised = Attachment(name="notes.pdf", content=b"MZ\x90\x00 a program")
    batch = staged_batch(practitioner, [proposal(1, attachments=[disguised, pdf_attachment()])])

    entry = batch.entries.get()
    assert entry.notes == [
        "Not attached: notes.pdf is named as a PDF but its content looks like a .exe file. "
        "Check you chose the right file, or save it again in its real format."
    ]
    assert [a.original_name for a in entry.attachments.all()] == ["certificate.pdf"]
    assert len(stored_files(private_media)) == 1


def test_a_failure_mid_confirmation_creates_nothing_and_leaves_no_files(
    practitioner, private_media, monkeypatch
):
    batch = staged_batch(
        practitioner,
        [proposal(n, attachments=[pdf_attachment()]) for n in range(3)],
    )
    staged_files = stored_files(private_media)
    monkeypatch.setattr(imports, "CHUNK", 2)  # the failure comes in the second round
    real_link = imports._link_relations
    calls = []

    def fail_the_second_time(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        real_link(*args)

    monkeypatch.setattr(imports, "_link_relations", fail_the_second_time)

    with pytest.raises(RuntimeError):
        confirm_import(batch)

    assert Entry.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert stored_files(private_media) == staged_files  # the evidence copies are gone
    batch.refresh_from_db()
    assert batch.is_reviewable
    assert batch.entries.filter(logged_entry__isnull=False).count() == 0
    monkeypatch.undo()
    assert confirm_import(batch) and batch.created_count == 3


def test_discarding_forgets_the_batch_and_its_files(
    practitioner, private_media, django_capture_on_commit_callbacks
):
    batch = staged_batch(practitioner, [proposal(1, attachments=[pdf_attachment()])])

    with django_capture_on_commit_callbacks(execute=True):
        assert discard_import(batch)

    assert not ImportBatch.objects.exists()
    assert stored_files(private_media) == []


def test_a_confirmed_import_cannot_be_discarded(practitioner):
    batch = staged_batch(practitioner, [proposal(1)])
    confirm_import(batch)

    assert discard_import(batch) is False
    assert Entry.objects.for_user(practitioner).count() == 1


# --- Uploads and the background staging -----------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_an_x_archive_is_kept_until_staged_then_deleted(
    practitioner, private_media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        batch = start_import(
            practitioner,
            source=ImportSource.X,
            upload=upload("twitter-2026.zip", x_archive([tweet(1), tweet(2)])),
        )
    assert len(queued) == 1  # the staging task, sent once the batch is committed
    assert batch.state == WorkState.QUEUED
    assert stored_files(private_media) == [batch.file.name]

    assert stage_import(batch.pk, last_try=True)

    batch.refresh_from_db()
    assert (batch.state, batch.progress, batch.proposed_count, batch.file.name) == (
        WorkState.DONE,
        100,
        2,
        "",
    )
    assert stored_files(private_media) == []
    assert batch.entries.first().url.startswith("https://www.communitycare.co.uk/")
    assert stage_import(batch.pk, last_try=True) is False  # delivered twice: nothing more


def test_retweets_are_staged_as_posts_read_and_come_in_once(
    practitioner, private_media, django_capture_on_commit_callbacks
):
    content = x_archive(
        [
            tweet(1),
            retweet(2, "SWSCmedia", "Tonight's chat is on strengths-based supervision…"),
            retweet(3, "alex_sw", "My own post, retweeted"),  # the archive's own account
        ]
    )

    def staged() -> ImportBatch:
        with django_capture_on_commit_callbacks():
            batch = start_import(
                practitioner, source=ImportSource.X, upload=upload("twitter-2026.zip", content)
            )
        assert stage_import(batch.pk, last_try=True)
        batch.refresh_from_db()
        return batch

    batch = staged()
    assert batch.proposed_count == 2
    read = batch.entries.get(activity_type=ActivityType.TWEET_READ)
    assert (read.title, read.url, read.platform, read.occurred_on, read.include) == (
        "@SWSCmedia: Tonight's chat is on strengths-based supervision…",
        "https://x.com/alex_sw/status/2000002",
        Platform.X,
        DAY,
        True,
    )
    assert confirm_import(batch)
    created = Entry.objects.for_user(practitioner).get(source_key="x:post:2000002")
    assert (created.title, created.status) == (read.title, Status.DRAFT)

    again = staged()  # the retweet has its own id, so importing it again adds nothing
    assert import_counts(again) == imports.ImportCounts(to_import=0, left_out=0, already=2)


def test_a_file_the_parser_rejects_finishes_with_its_message(
    practitioner, private_media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        batch = start_import(
            practitioner, source=ImportSource.X, upload=upload("tweets.js", b"window.YTD = [{")
        )

    assert stage_import(batch.pk, last_try=False)

    batch.refresh_from_db()
    assert batch.state == WorkState.DONE and not batch.is_reviewable
    assert "tweets.js" in batch.rejection
    assert not batch.entries.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize(
    ("source", "name", "content", "message"),
    [
        (ImportSource.X, "report.pdf", b"%PDF-1.4", "report.pdf is not a file this import reads"),
        (ImportSource.CSV, "entries.xlsx", b"PK\x03\x04", "Upload a spreadsheet saved as .csv"),
        (ImportSource.X, "archive.zip", b"not a zip", "archive.zip is named .zip but is not"),
        (ImportSource.MASTODON, "big.zip", b"PK\x03\x04" + b"0" * 2000, "the largest file"),
    ],
)
def test_uploads_are_checked_before_anything_is_stored(
    settings, practitioner, private_media, source, name, content, message
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000

    with pytest.raises(ImportRejected, match=message):
        start_import(practitioner, source=source, upload=upload(name, content))

    assert not ImportBatch.objects.exists()
    assert stored_files(private_media) == []


def test_a_limit_sized_upload_is_accepted(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 20

    check_upload(ImportSource.CSV, upload("entries.csv", b"x" * 20))


def test_staging_stores_thousands_of_proposals_in_few_queries(
    practitioner, django_assert_max_num_queries
):
    make_entry(practitioner, source_key="test:item:7")
    proposals = [proposal(n) for n in range(5_000)]
    batch = ImportBatch.objects.create(owner=practitioner, state=WorkState.DONE)

    # Per thousand: one insert; plus clearing, the log's keys and the capabilities.
    with django_assert_max_num_queries(5 + 5):
        imports.store_proposals(batch, proposals)

    assert batch.entries.count() == 5_000
    assert batch.entries.filter(already_in_log=True).get().position == 7


def test_confirming_many_entries_takes_queries_per_thousand_not_per_entry(
    practitioner, django_assert_max_num_queries
):
    batch = staged_batch(
        practitioner, [proposal(n, tag_names=["MCA", f"tag{n % 3}"]) for n in range(2_500)]
    )

    # Per thousand: the entries, their files, the activities, their links and tags, the
    # evidence; once: the lock, the checks, the capabilities and the tags' lookups.
    with django_assert_max_num_queries(3 * 8 + 20):
        confirm_import(batch)

    assert Entry.objects.for_user(practitioner).count() == 2_500


def test_manual_entries_without_a_source_are_never_already_imported(practitioner):
    save_entry(
        Entry(title="Typed by hand", activity_type="other", occurred_on=DAY),
        owner=practitioner,
        capabilities=[],
        tag_names=[],
    )

    batch = staged_batch(practitioner, [proposal(1, source_key="")])
    confirm_import(batch)

    assert batch.created_count == 1


def test_imports_left_unconfirmed_are_discarded_after_the_keep_period(
    practitioner, settings, private_media, django_capture_on_commit_callbacks
):
    settings.IMPORT_KEEP_DAYS = 14
    now = timezone.now()
    abandoned = staged_batch(practitioner, [proposal(1, attachments=[pdf_attachment()])])
    confirmed = staged_batch(practitioner, [proposal(2)])
    confirm_import(confirmed)
    recent = staged_batch(practitioner, [proposal(3)])
    ImportBatch.objects.filter(pk__in=[abandoned.pk, confirmed.pk]).update(
        created_at=now - dt.timedelta(days=15)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert discard_abandoned_imports(now) == 1

    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {confirmed.pk, recent.pk}
    assert stored_files(private_media) == []
    assert Entry.objects.for_user(practitioner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_create_the_entries_once(practitioner, monkeypatch):
    batch = staged_batch(practitioner, [proposal(1), proposal(2)])
    real_create = imports._create_entries

    def slow_create(*args):
        time.sleep(0.3)  # long enough for the other request to arrive meanwhile
        return real_create(*args)

    monkeypatch.setattr(imports, "_create_entries", slow_create)
    results: list[bool] = []

    def confirm() -> None:
        try:
            results.append(confirm_import(ImportBatch.objects.get(pk=batch.pk)))
        finally:
            connection.close()

    requests = [threading.Thread(target=confirm) for _ in range(2)]
    for request in requests:
        request.start()
    for request in requests:
        request.join()

    assert sorted(results) == [False, True]
    assert Entry.objects.for_user(practitioner).count() == 2


def test_a_feed_is_fetched_and_staged_from_its_address(
    practitioner, monkeypatch, django_capture_on_commit_callbacks
):
    fetched = []
    monkeypatch.setattr(feeds, "fetch_feed", lambda url: fetched.append(url) or BLOG_FEED.encode())
    with django_capture_on_commit_callbacks():
        batch = start_import(
            practitioner,
            source=ImportSource.FEED,
            feed_url="https://blog.example.org/feed.atom",
            own_feed=False,
        )

    assert stage_import(batch.pk, last_try=True)

    batch.refresh_from_db()
    assert fetched == ["https://blog.example.org/feed.atom"]
    assert batch.is_reviewable and batch.proposed_count == 2
    assert set(batch.entries.values_list("activity_type", flat=True)) == {ActivityType.BLOG_READ}


def test_an_entry_like_one_typed_into_the_log_waits_unticked_with_a_note(practitioner):
    make_entry(practitioner, title="Post 1 on Strengths-Based Practice", occurred_on=DAY)
    batch = staged_batch(practitioner, [proposal(1), proposal(2)])

    similar, other = batch.entries.order_by("position")
    assert (similar.include, other.include) == (False, True)
    assert any("already has an entry with this title" in note for note in similar.notes)
    assert similar.importable  # she may still tick it: it could be another piece of CPD
    assert import_counts(batch) == imports.ImportCounts(to_import=1, left_out=1, already=0)


def test_an_entry_that_may_identify_someone_waits_unticked_until_checked(practitioner):
    batch = staged_batch(
        practitioner,
        [
            proposal(
                1, title="Visit, DOB 01/02/1950", what_happened="Visited her, DOB 01/02/1950."
            ),
            proposal(2),
        ],
    )

    flagged, clean = batch.entries.order_by("position")
    assert (flagged.include, clean.include) == (False, True)
    [note] = [note for note in flagged.notes if "may identify someone" in note]
    assert note.count("date of birth “01/02/1950”") == 1  # named once, though found twice
    choose_entries(batch, shown=[flagged.pk, clean.pk], ticked=[flagged.pk, clean.pk])
    assert confirm_import(batch)
    assert Entry.objects.for_user(practitioner).count() == 2
