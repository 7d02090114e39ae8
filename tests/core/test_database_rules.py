"""Rules the database keeps, whatever writes the row: a period runs forwards, progress is a
percentage, an email address is one account whatever its case, a complete entry carries its
reflection and its time, an address has one unused invitation to a cohort, and the periodic
re-queue reads an index of unfinished work only."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.models import User
from core.models import WHITESPACE, WorkState
from imports.models import ImportBatch, ImportSource
from imports.staging import confirm_import
from packs.models import EvidencePack
from portfolio.entry_rules import missing_for_complete
from portfolio.models import Entry, Status
from programmes.models import Invitation
from summaries.models import ReflectiveSummary
from tests.factories import make_entry
from tests.imports.staged import DAY, proposal, staged_batch
from tests.programmes.conftest import make_cohort

START, END = dt.date(2026, 12, 1), dt.date(2027, 11, 30)


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("model", [ReflectiveSummary, EvidencePack])
def test_a_period_cannot_end_before_it_starts(practitioner, model):
    fields = {"owner": practitioner, "period_start": END, "period_end": START}
    if model is ReflectiveSummary:
        fields.update(input_hash="x", version=1)

    assert refused(lambda: model.objects.create(**fields))
    assert not refused(lambda: model.objects.create(**{**fields, "period_end": END}))


@pytest.mark.parametrize("model", [EvidencePack, ImportBatch])
@pytest.mark.parametrize("progress", [100, 101])
def test_progress_is_a_percentage(practitioner, model, progress):
    if model is EvidencePack:
        row = model.objects.create(owner=practitioner, period_start=START, period_end=END)
    else:
        row = model.objects.create(owner=practitioner, source=ImportSource.CSV)

    write = model.objects.filter(pk=row.pk).update
    assert refused(lambda: write(progress=progress)) == (progress > 100)


def test_an_address_is_one_account_whatever_its_case(practitioner):
    # bulk_create skips clean(), which lowercases: the database still refuses the copy.
    copy = User(email=practitioner.email.upper(), display_name="Copy")

    assert refused(lambda: User.objects.bulk_create([copy]))


# What a complete entry cannot lack: each part of the reflection, written or only whitespace
# (every kind str.strip() removes), and a time.
LACKING = [
    {"what_happened": ""},
    {"what_learned": " \n\t "},
    {"impact": WHITESPACE},
    {"duration_minutes": None},
    {"duration_minutes": 0},
]


@pytest.mark.parametrize("lacking", LACKING)
def test_a_complete_entry_carries_its_reflection_and_time(practitioner, lacking):
    draft = make_entry(practitioner, status=Status.DRAFT, **lacking)
    complete = Entry.objects.filter(pk=draft.pk).update

    assert missing_for_complete(model_to_dict(draft), DAY)  # the rule every way in asks
    assert refused(lambda: complete(status=Status.COMPLETE))
    assert not refused(lambda: complete(status=Status.DRAFT))


@pytest.mark.parametrize("lacking", LACKING)
def test_an_import_brings_an_entry_lacking_them_in_as_a_draft(practitioner, lacking):
    confirm_import(staged_batch(practitioner, [proposal(1, **lacking)]), today=DAY)

    assert Entry.objects.for_user(practitioner).get().status == Status.DRAFT


def test_text_between_whitespace_is_written(practitioner):
    draft = make_entry(practitioner, status=Status.DRAFT)
    written = {name: f"{WHITESPACE}x{WHITESPACE}" for name in ("what_learned", "impact")}
    complete = Entry.objects.filter(pk=draft.pk).update

    assert not refused(lambda: complete(status=Status.COMPLETE, **written))


def test_the_database_strips_what_python_strips():
    assert set(WHITESPACE) == {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}


def test_a_validated_model_says_what_a_complete_entry_needs(practitioner):
    entry = make_entry(practitioner, status=Status.DRAFT, impact=" ")
    entry.status = Status.COMPLETE

    with pytest.raises(ValidationError, match="save it as a draft until it has them"):
        entry.validate_constraints()


def test_an_address_has_one_unused_invitation_to_a_cohort(programme_leader):
    cohort = make_cohort(programme_leader, "2026 intake")
    another_cohort = make_cohort(programme_leader, "2027 intake")
    tokens = iter(range(100))

    def send(email: str = "alex@example.org", to=cohort, **fields) -> None:
        Invitation.objects.create(
            cohort=to,
            email=email,
            token_hash=f"{next(tokens):064}",
            expires_at=timezone.now() - dt.timedelta(days=1),  # expired: the rule still holds
            **fields,
        )

    send()

    assert refused(send)
    assert refused(lambda: send("Alex@Example.ORG"))
    assert not refused(lambda: send(to=another_cohort))
    assert not refused(lambda: send("sam@example.org"))
    Invitation.objects.filter(cohort=cohort).update(accepted_at=timezone.now())
    assert not refused(send)  # a used invitation leaves room for a new one
    assert not refused(lambda: send(accepted_at=timezone.now()))
    # Inviting again renews the one unused invitation: tests/programmes/test_invitations.py.


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a partial index on PostgreSQL")
@pytest.mark.parametrize(
    ("table", "index"),
    [
        ("summaries_reflectivesummary", "summary_unfinished_idx"),
        ("packs_evidencepack", "pack_unfinished_idx"),
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
