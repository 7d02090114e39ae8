"""Evidence packs follow the regulator the practitioner had when she asked for one: the renewal
sheet's questions, the pack's "Your regulator" section, and hours and Professional in Practice
credits in activities.csv and leap2a.xml where the regulator counts them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone

from core.periods import Period, add_months
from imports.importers.spreadsheet import parse_csv
from packs.building import request_evidence_pack
from packs.leap2a import CREDITS_SCHEME, HOURS_SCHEME
from packs.models import EvidencePack
from portfolio.models import Capability
from regulators.models import Registration
from regulators.periods import period_containing
from regulators.profiles import profile
from regulators.registrations import confirm, set_registration
from tests.factories import make_entry
from tests.packs.conftest import YEAR, build_now, open_pack
from tests.packs.test_pack_contents import pdf_text

ATOM = "{http://www.w3.org/2005/Atom}"


def requested(owner, django_capture_on_commit_callbacks, period: Period) -> EvidencePack:
    """A pack asked for (not built: the renewal sheet page reads the entries themselves)."""
    with django_capture_on_commit_callbacks(execute=False):
        return request_evidence_pack(owner, period=period)


@pytest.fixture
def northern_ireland(practitioner, portfolio):
    """Alex, registered with NISCC since 1 April 2025: the portfolio's year is in her period."""
    set_registration(practitioner, "niscc", dt.date(2025, 4, 1), timezone.localdate())
    return practitioner


@pytest.fixture
def niscc_pack(northern_ireland, django_capture_on_commit_callbacks):
    return build_now(northern_ireland, django_capture_on_commit_callbacks, period=YEAR)


def test_a_pack_keeps_the_regulator_and_date_it_was_requested_under(niscc_pack):
    assert (niscc_pack.regulator, niscc_pack.registered_on) == ("niscc", dt.date(2025, 4, 1))


def test_a_northern_ireland_packs_csv_has_hours_and_credits(niscc_pack, portfolio):
    rows = list(csv.DictReader(io.StringIO(open_pack(niscc_pack).read("activities.csv").decode())))

    header = list(rows[0])
    assert header[header.index("duration_minutes") + 1 : header.index("duration_minutes") + 3] == [
        "hours",
        "pip_credits",
    ]
    # 2 credits an hour with a reflection, 1 more for its impact (every complete entry has both)
    assert [(r["title"], r["hours"], r["pip_credits"]) for r in rows] == [
        (portfolio.chat.title, "1", "3"),
        (portfolio.supervision.title, "1.5", "4.5"),
        (portfolio.blog.title, "0.5", "1.5"),
    ]


def test_our_csv_with_hours_and_credits_imports_back(niscc_pack, portfolio):
    proposed = parse_csv(io.BytesIO(open_pack(niscc_pack).read("activities.csv")), None)

    assert [(p.title, p.duration_minutes) for p in proposed] == [
        (portfolio.chat.title, 60),
        (portfolio.supervision.title, 90),
        (portfolio.blog.title, 30),
    ]


def test_a_northern_ireland_packs_leap2a_carries_hours_and_credits(niscc_pack, portfolio):
    feed = ElementTree.fromstring(open_pack(niscc_pack).read("leap2a.xml"))
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    supervision = entries[portfolio.supervision.title]
    categories = {c.get("scheme"): c for c in supervision.iter(f"{ATOM}category")}

    assert categories[HOURS_SCHEME].get("term") == "1.5"
    assert categories[HOURS_SCHEME].get("label") == "1.5 hours"
    assert categories[CREDITS_SCHEME].get("term") == "4.5"
    assert categories[CREDITS_SCHEME].get("label") == "4.5 Professional in Practice credits"


def test_a_northern_ireland_packs_pdfs_name_the_regulator_with_hours_and_credits(niscc_pack):
    pack = open_pack(niscc_pack)
    portfolio_text = " ".join(pdf_text(pack.read("portfolio.pdf")).split())
    sheet = " ".join(pdf_text(pack.read("renewal-sheet.pdf")).split())

    for text in (portfolio_text, sheet):
        assert "Your regulator" in text
        assert "Northern Ireland Social Care Council" in text
        assert "1 April 2025 to 31 March 2028" in text
        assert "90 hours of training and learning in this registration period" in text
        assert "3h in this pack's entries" in text  # 1h + 1h 30m + 30m
        assert "9 in this pack's entries" in text  # credits: 3 + 4.5 + 1.5
        # The credits rule and fact were read only in a secondary source: said so.
        assert "(not confirmed on Northern Ireland Social Care Council's own pages)" in text
    assert "HOURS AND PROFESSIONAL IN PRACTICE CREDITS" in sheet
    assert "1h 30m · 4.5 credits" in sheet
    assert "1.5 hours (1h 30m)" in sheet  # NISCC's form asks for hours
    assert "REFLECTION: WHAT I LEARNT" in sheet


def test_social_work_englands_csv_has_hours_but_no_credits(
    practitioner, portfolio, django_capture_on_commit_callbacks
):
    pack = build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR)
    rows = list(csv.DictReader(io.StringIO(open_pack(pack).read("activities.csv").decode())))

    assert "pip_credits" not in rows[0]
    assert [r["hours"] for r in rows] == ["1", "1.5", "0.5"]
    leap2a = open_pack(pack).read("leap2a.xml").decode()
    assert HOURS_SCHEME in leap2a and CREDITS_SCHEME not in leap2a


# --- The renewal sheet page, per regulator --------------------------------------------------


def registered_with(user, code: str) -> Period:
    """Registered with ``code`` 11 months ago (23 for a cycle of two years or more): her
    current period, which has begun."""
    regulator, today = profile(code), timezone.localdate()
    registered_on = add_months(today, 1 - 12 * min(regulator.cycle.years, 2))
    set_registration(user, code, registered_on, today)
    period = period_containing(regulator, today, registered_on)
    return Period(period.start, period.end)


def sheet_of(client, evidence_pack) -> str:
    response = client.get(reverse("packs:renewal_sheet", args=[evidence_pack.pk]))
    assert response.status_code == 200
    return response.content.decode()


def in_order(html: str, texts: list[str]) -> bool:
    positions = [html.index(text) for text in texts]
    return positions == sorted(positions)


@pytest.mark.calendar
@pytest.mark.parametrize("code", ["scw", "sssc", "niscc", "hcpc"])
def test_each_regulators_sheet_asks_its_own_questions_in_its_order(
    code, practitioner, client_for, django_capture_on_commit_callbacks
):
    period = registered_with(practitioner, code)
    make_entry(practitioner, title="Court skills day", occurred_on=timezone.localdate())
    evidence_pack = requested(practitioner, django_capture_on_commit_callbacks, period)

    html = sheet_of(client_for(practitioner), evidence_pack)

    regulator = profile(code)
    entry_part = html[html.index("Court skills day") :]
    assert in_order(entry_part, [field.asks for field in regulator.record_fields])
    assert f"{regulator.name} ({regulator.register})" in html
    assert period.label in html
    for rule in regulator.requirements:
        assert rule.label in html
        assert f'href="{rule.source.url}"' in html


@pytest.mark.calendar
def test_scotlands_sheet_shows_the_core_learning_elements_of_each_entry(
    practitioner, client_for, django_capture_on_commit_callbacks
):
    period = registered_with(practitioner, "sssc")
    elements = list(Capability.objects.filter(framework__slug="sssc-core-learning"))
    pcf = Capability.objects.exclude(framework__slug="sssc-core-learning").first()
    make_entry(
        practitioner, occurred_on=timezone.localdate(), capabilities=[elements[0], elements[1], pcf]
    )
    evidence_pack = requested(practitioner, django_capture_on_commit_callbacks, period)

    html = sheet_of(client_for(practitioner), evidence_pack)

    assert f"{elements[0].name}; {elements[1].name}" in html
    assert f"still to cover: {elements[2].name}" in html
    assert pcf.name not in html  # not one of the elements the SSSC asks about


@pytest.mark.calendar
def test_wales_sheet_keeps_the_record_for_a_sample_check_and_lists_confirmations(
    practitioner, client_for, django_capture_on_commit_callbacks
):
    period = registered_with(practitioner, "scw")
    make_entry(practitioner, occurred_on=timezone.localdate())
    confirm(practitioner, "discussed_with_manager", timezone.localdate())
    evidence_pack = requested(practitioner, django_capture_on_commit_callbacks, period)

    html = sheet_of(client_for(practitioner), evidence_pack)

    assert "unless you&#x27;re chosen as part of a sample check" in html
    assert "Confirmations you made" in html
    assert "I have discussed my CPD with my manager during this registration period." in html
    assert f"Confirmed {timezone.localdate():%-d %B %Y}" in html
    assert "Confirm at renewal that you have completed CPD" in html  # not yet: unmet


def test_a_later_change_of_regulator_does_not_rewrite_an_old_packs_sheet(
    practitioner, portfolio, client_for, django_capture_on_commit_callbacks
):
    evidence_pack = requested(practitioner, django_capture_on_commit_callbacks, YEAR)
    set_registration(practitioner, "scw", dt.date(2024, 3, 15), timezone.localdate())

    html = sheet_of(client_for(practitioner), evidence_pack)

    assert "A short description of the activity and why it is relevant to you" in html
    assert "Social Work England" in html and "Social Care Wales" not in html
    assert requested(practitioner, django_capture_on_commit_callbacks, YEAR).regulator == "scw"


def test_a_pack_under_a_regulator_without_a_date_says_its_period_is_not_known(
    practitioner, portfolio, client_for, django_capture_on_commit_callbacks
):
    Registration.objects.create(owner=practitioner, regulator="niscc", registered_on=None)
    evidence_pack = requested(practitioner, django_capture_on_commit_callbacks, YEAR)

    html = sheet_of(client_for(practitioner), evidence_pack)

    assert "Not known: no date of first registration was given" in html
    assert "Learning activity" in html  # still NISCC's questions


def test_the_sheet_page_reads_a_fixed_number_of_queries(
    practitioner, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    period = registered_with(practitioner, "sssc")
    elements = list(Capability.objects.filter(framework__slug="sssc-core-learning"))
    for n in range(15):
        make_entry(
            practitioner,
            occurred_on=timezone.localdate() - dt.timedelta(days=n % 20),
            capabilities=elements[: n % 3 + 1],
        )
    evidence_pack = requested(practitioner, django_capture_on_commit_callbacks, period)
    client = client_for(practitioner)
    sheet_of(client, evidence_pack)  # the session and caches warmed

    with django_assert_max_num_queries(20):
        sheet_of(client, evidence_pack)
