"""bench/scale.py's data set, built at a tiny size: the builder writes what it says it does,
within the database's rules, and leaves the tables usable by the portal afterwards. Nothing
here is timed."""

import random

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.mfa import must_set_up_mfa
from bench.scale_data import RARE_EVERY, ScaleSpec, build_data_set, portfolio_sizes
from portfolio.entry_rules import missing_for_complete
from portfolio.models import Entry, Status
from programmes.models import Membership, SnapshotEntry, Submission
from resources.models import Event, ReadingListEntry, Resource
from tests.clock import london_moment
from tests.factories import make_entry

TINY = ScaleSpec(
    entries=200,
    users=3,
    heavy_users=1,
    heavy_entries=100,
    typical_entries=50,
    resources=50,
    events=2,
    cohort_students=2,
    submissions=1,
)


def test_portfolio_sizes_add_up_to_the_entries_asked_for():
    sizes = portfolio_sizes(ScaleSpec.scaled(20_000), random.Random(1))  # noqa: S311
    assert sum(sizes) == 20_000
    assert sizes[:2] == [450, 5_000]  # the typical user, then the heavy one
    assert min(sizes) >= 1


@pytest.mark.django_db
@pytest.mark.time_machine(london_moment("2026-06-15T12:00"))
def test_the_data_set_has_what_the_spec_asks_for():
    today = timezone.localdate()
    data = build_data_set(TINY, today)

    assert Entry.objects.count() == 200
    assert Entry.objects.for_user(data.typical_user).count() == 50
    assert Entry.objects.for_user(data.heavy_user).count() == 100
    assert Entry.objects.drafts().count() == 20  # every tenth
    assert Entry.objects.filter(is_peer_reflected=True).count() == 50  # every fourth
    assert Entry.capabilities.through.objects.count() == 400  # two each
    entry_tags = Entry.tags.through.objects
    assert entry_tags.exists()
    assert not entry_tags.exclude(tag__owner=F("entry__owner")).exists()  # her own tags
    first_day = data.previous_year.previous().start
    assert not Entry.objects.exclude(occurred_on__range=(first_day, today)).exists()
    for entry in Entry.objects.complete().values():
        assert missing_for_complete(entry, today) == {}
    assert RARE_EVERY > 200 or Entry.objects.search("ombudsman").exists()

    assert Resource.objects.published().count() == 50
    assert not Resource.objects.filter(capabilities=None).exists()
    assert Event.objects.count() == 2
    assert ReadingListEntry.objects.filter(owner=data.typical_user).exists()

    memberships = Membership.objects.filter(cohort_id=data.cohort_id)
    assert {m.student_id for m in memberships} >= {data.typical_user.pk}
    assert memberships.count() == 2
    # The leader has a second factor, so the overview the bench times is the page, not the
    # redirect to setting one up.
    assert not must_set_up_mfa(data.leader)
    submission = Submission.objects.get()
    assert submission.year == data.current_year.end.year
    student = submission.membership.student
    assert SnapshotEntry.objects.count() == (
        Entry.objects.for_user(student).complete().in_year(data.current_year).count()
    )


@pytest.mark.django_db
@pytest.mark.time_machine(london_moment("2026-06-15T12:00"))
def test_the_portal_adds_rows_after_the_bulk_load():
    """COPY writes its own ids: the builder moves each table's sequence past them."""
    data = build_data_set(TINY, timezone.localdate())
    entry = make_entry(data.typical_user, status=Status.DRAFT)
    assert entry.pk > max(Entry.objects.exclude(pk=entry.pk).values_list("pk", flat=True))
