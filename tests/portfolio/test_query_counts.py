"""The log and the dashboard run the same number of queries for 10 entries as for 500, and no
N+1 hides behind a constant count: every request runs under django-zeal with ZEAL_RAISE."""

from __future__ import annotations

import datetime as dt
import functools
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from zeal import NPlusOneError, zeal_context

from accounts.models import User
from core.cpd_year import cpd_year_containing
from portfolio import views
from portfolio.models import ActivityType, Capability, Entry, Evidence, Status, Tag
from portfolio.tallies import recount_everyone

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The dashboard shows the year containing today; every page is built, not read from the cache.
pytestmark = [pytest.mark.calendar, pytest.mark.usefixtures("rendered_afresh")]

SMALL, LARGE = 10, 500
MOST_QUERIES_A_PAGE = 10
# The dashboard also counts the peer discussions colleagues confirmed: one query more.
MOST_QUERIES_A_DASHBOARD = MOST_QUERIES_A_PAGE + 1
TYPES = list(ActivityType)


@functools.cache
def _install_zeal() -> None:
    """zeal patches Django's ORM in its AppConfig.ready(). The project does not list it in
    INSTALLED_APPS, so patch once here; a no-op if it is ever added there."""
    if apps.is_installed("zeal"):
        return
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()
    # Each relation's manager class is built once and cached on its descriptor; drop any built
    # by earlier tests so they are rebuilt by zeal's patched factories.
    for model in apps.get_models():
        for attribute in vars(model).values():
            if isinstance(attribute, ReverseManyToOneDescriptor):  # and ManyToManyDescriptor
                attribute.__dict__.pop("related_manager_cls", None)


@pytest.fixture(autouse=True)
def zeal_raises(settings):
    _install_zeal()
    settings.ZEAL_RAISE = True
    settings.ZEAL_NPLUSONE_THRESHOLD = 2


@dataclass
class Portfolio:
    owner: User
    capabilities: list[Capability]
    tags: list[Tag]
    stored_file: str


@pytest.fixture
def portfolio(practitioner) -> Portfolio:
    capabilities = list(Capability.objects.order_by("pk")[:5])
    assert len(capabilities) == 5, "the frameworks migration seeds capabilities"
    tags = Tag.objects.bulk_create(Tag(owner=practitioner, name=f"topic {n}") for n in range(6))
    # One small stored file shared by every evidence row: the pages never open it.
    stored = default_storage.save(f"evidence/{practitioner.pk}/shared.pdf", ContentFile(PDF_BYTES))
    return Portfolio(practitioner, capabilities, tags, stored)


def grow(p: Portfolio, total: int) -> None:
    """Add entries until ``p.owner`` has ``total``: a quarter drafts, the rest complete, spread
    over this CPD year and the two before it, each with 2 capabilities, 2 tags and 1 file. The
    first four are dated today, so that even a year that began today has complete entries and
    a draft on its dashboard."""
    today = timezone.localdate()
    earliest = cpd_year_containing(today).previous().previous().start
    span = (today - earliest).days + 1
    start = Entry.objects.filter(owner=p.owner).count()
    numbers = range(start, total)
    new = Entry.objects.bulk_create(
        Entry(
            owner=p.owner,
            status=Status.DRAFT if n % 4 == 0 else Status.COMPLETE,
            activity_type=TYPES[n % len(TYPES)],
            title=f"Entry {n} on supervision",
            occurred_on=today - dt.timedelta(days=0 if n < 4 else (n * 97) % span),
            duration_minutes=15 + n % 90,
            what_happened=f"What happened in entry {n}.",
            what_learned="What I learned.",
            impact="What I will do differently.",
            is_peer_reflected=n % 5 == 0,
            peer_role="team manager" if n % 5 == 0 else "",
            peer_learning="What we discussed." if n % 5 == 0 else "",
        )
        for n in numbers
    )
    caps, tags = p.capabilities, p.tags
    Entry.capabilities.through.objects.bulk_create(
        Entry.capabilities.through(entry_id=a.pk, capability_id=caps[(n + k) % len(caps)].pk)
        for n, a in zip(numbers, new, strict=True)
        for k in (0, 1)
    )
    Entry.tags.through.objects.bulk_create(
        Entry.tags.through(entry_id=a.pk, tag_id=tags[(n + k) % len(tags)].pk)
        for n, a in zip(numbers, new, strict=True)
        for k in (0, 3)
    )
    Evidence.objects.bulk_create(
        Evidence(
            entry=a,
            file=p.stored_file,
            original_name=f"evidence-{n}.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
        )
        for n, a in zip(numbers, new, strict=True)
    )
    recount_everyone()  # as after any bulk load of entries


PAGES = {
    "log": lambda p: reverse("portfolio:entry_list"),
    "log-page-2": lambda p: reverse("portfolio:entry_list") + "?status=complete&page=2",
    "log-search": lambda p: reverse("portfolio:entry_list") + "?q=supervision",
    "log-tag-and-capability": lambda p: (
        reverse("portfolio:entry_list") + f"?tag={p.tags[0].pk}&capability={p.capabilities[0].pk}"
    ),
    "dashboard": lambda p: reverse("portfolio:dashboard"),
    "dashboard-previous-year": lambda p: (
        reverse("portfolio:dashboard")
        + f"?year={cpd_year_containing(timezone.localdate()).previous().slug}"
    ),
}


def count_queries(client, url: str, *, zeal: bool = True) -> int:
    with CaptureQueriesContext(connection) as queries, zeal_context() if zeal else nullcontext():
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def check_shows_everything(response, owner: User) -> None:
    """The page really was built from all of the owner's entries."""
    mine = Entry.objects.for_user(owner)
    if "page" in response.context:
        page = response.context["page"]
        assert page.paginator.count == len(page.paginator.object_list) > 0
        dates = [a.occurred_on for a in page.object_list]
        assert dates == sorted(dates, reverse=True), "the log is newest first"
    else:
        dashboard = response.context["dashboard"]
        assert dashboard.complete_count == mine.complete().in_year(dashboard.year).count() > 0
        drafts = mine.drafts()
        assert dashboard.year_drafts.count == drafts.in_year(dashboard.year).count() > 0
        earlier = sum(d.count for d in dashboard.other_drafts)
        assert earlier == drafts.exclude(pk__in=drafts.in_year(dashboard.year)).count() > 0
        covered = sum(c.entries for f in dashboard.coverage for c in f.capabilities)
        assert covered == 2 * dashboard.complete_count


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_portfolio(
    page, portfolio, client_for, django_assert_num_queries
):
    client = client_for(portfolio.owner)
    url = PAGES[page](portfolio)
    grow(portfolio, SMALL)
    client.get(url)  # warm up: the first request of a session may differ

    small = count_queries(client, url)
    assert small <= (MOST_QUERIES_A_DASHBOARD if "dashboard" in page else MOST_QUERIES_A_PAGE)
    grow(portfolio, LARGE)
    assert Entry.objects.for_user(portfolio.owner).count() == LARGE
    with django_assert_num_queries(small), zeal_context():
        response = client.get(url)

    assert response.status_code == 200
    check_shows_everything(response, portfolio.owner)
    print(f"{page}: {small} queries at {SMALL} and at {LARGE} entries")


def test_the_checks_catch_a_missing_prefetch(portfolio, client_for, monkeypatch):
    """Control: with the log's prefetching taken away, zeal fails the request and the count
    grows with the data, so the tests above would notice."""
    monkeypatch.setattr(views, "with_list_details", lambda entries: entries)
    client = client_for(portfolio.owner)
    url = PAGES["log"](portfolio)
    grow(portfolio, SMALL)

    with pytest.raises(NPlusOneError):
        count_queries(client, url)
    small = count_queries(client, url, zeal=False)
    grow(portfolio, LARGE)
    assert count_queries(client, url, zeal=False) > small
