"""Rules the database keeps, whatever writes the row: a period runs forwards, progress is a
percentage, an email address is one account whatever its case, and the periodic re-queue reads
an index of unfinished work only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from core.models import WorkState
from imports.models import ImportBatch, ImportSource
from packs.models import ExportRequest
from summaries.models import ReflectiveSummary

START, END = dt.date(2026, 12, 1), dt.date(2027, 11, 30)


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("model", [ReflectiveSummary, ExportRequest])
def test_a_period_cannot_end_before_it_starts(practitioner, model):
    fields = {"owner": practitioner, "period_start": END, "period_end": START}
    if model is ReflectiveSummary:
        fields.update(input_hash="x", version=1)

    assert refused(lambda: model.objects.create(**fields))
    assert not refused(lambda: model.objects.create(**{**fields, "period_end": END}))


@pytest.mark.parametrize("model", [ExportRequest, ImportBatch])
@pytest.mark.parametrize("progress", [100, 101])
def test_progress_is_a_percentage(practitioner, model, progress):
    if model is ExportRequest:
        row = model.objects.create(owner=practitioner, period_start=START, period_end=END)
    else:
        row = model.objects.create(owner=practitioner, source=ImportSource.CSV)

    write = model.objects.filter(pk=row.pk).update
    assert refused(lambda: write(progress=progress)) == (progress > 100)


def test_an_address_is_one_account_whatever_its_case(practitioner):
    # bulk_create skips clean(), which lowercases: the database still refuses the copy.
    copy = User(email=practitioner.email.upper(), display_name="Copy")

    assert refused(lambda: User.objects.bulk_create([copy]))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a partial index on PostgreSQL")
@pytest.mark.parametrize(
    ("table", "index"),
    [
        ("summaries_reflectivesummary", "summary_unfinished_idx"),
        ("packs_exportrequest", "pack_unfinished_idx"),
        ("imports_importbatch", "import_unfinished_idx"),
    ],
)
def test_the_requeue_reads_an_index_of_unfinished_work(db, table, index):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [table, index],
        )
        (definition,) = cursor.fetchone()

    assert "(heartbeat_at)" in definition
    assert f"'{WorkState.QUEUED}'" in definition and f"'{WorkState.RUNNING}'" in definition
