import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.cpd_year import CpdYear, cpd_year_containing
from demo.second_factor import DEMO_TOTP_SECRET
from portfolio.dashboard import build_dashboard
from portfolio.demo import DEMO_PASSWORD, load_demo_data
from portfolio.models import Entry, Tag
from programmes.models import Submission, SubmissionStatus
from programmes.review import current_snapshot
from programmes.signoffs import signoffs_for
from tests.clock import CALENDAR, DEFAULT_MOMENT, london_moment
from tests.factories import totp_code

LATE_IN_YEAR = dt.date(2026, 11, 21)
EARLY_IN_YEAR = dt.date(2026, 12, 3)

# Every moment of the calendar matrix, and the suite's ordinary day.
MOMENTS = [london_moment(text) for text in (*CALENDAR, DEFAULT_MOMENT)]

EXPECTED_ROLES = {
    "practitioner@example.org": Role.PRACTITIONER,
    "leader@example.org": Role.PROGRAMME_LEADER,
    "admin@example.org": Role.ADMIN,
}


def practitioner() -> User:
    return User.objects.get(email="practitioner@example.org")


@pytest.mark.django_db
def test_creates_three_users_with_verified_primary_emails_and_roles():
    logins = load_demo_data(LATE_IN_YEAR)

    assert {login.email: login.role for login in logins} == EXPECTED_ROLES
    assert all(login.password == DEMO_PASSWORD for login in logins)
    for email, role in EXPECTED_ROLES.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=user, email=email, verified=True, primary=True
        ).exists()
    assert User.objects.get(email="admin@example.org").is_superuser
    assert not practitioner().is_superuser
    assert practitioner().registration_number == "SW123456"


@pytest.mark.django_db
@pytest.mark.parametrize("today", [LATE_IN_YEAR, EARLY_IN_YEAR])
def test_complete_entries_are_dated_in_this_or_the_previous_cpd_year(today):
    load_demo_data(today)
    year = cpd_year_containing(today)
    earliest = year.previous().start

    complete = Entry.objects.for_user(practitioner()).complete()
    assert complete.count() >= 20
    for entry in complete:
        assert earliest <= entry.occurred_on <= today, entry.title
    assert complete.in_year(year).exists()


@pytest.mark.django_db
def test_late_in_the_year_most_entries_are_in_the_current_year():
    load_demo_data(LATE_IN_YEAR)
    complete = Entry.objects.for_user(practitioner()).complete()
    year = cpd_year_containing(LATE_IN_YEAR)
    in_year = complete.in_year(year)
    assert in_year.count() > complete.in_year(year.previous()).count()
    assert in_year.filter(is_peer_reflected=True).exists()


@pytest.mark.django_db
def test_on_the_first_day_of_a_year_its_entries_are_dated_today():
    first_day = dt.date(2026, 12, 1)
    load_demo_data(first_day)
    in_year = Entry.objects.for_user(practitioner()).in_year(cpd_year_containing(first_day))
    assert in_year.complete().count() >= 3
    assert set(in_year.values_list("occurred_on", flat=True)) == {first_day}


def assert_current_year_under_way(owner: User, year: CpdYear, today: dt.date) -> None:
    dashboard = build_dashboard(owner, year, today)
    # Two or more different complete entries, one peer-reflected, none misdated.
    assert dashboard.checklist.met, dashboard.checklist
    assert dashboard.complete_count >= 3
    assert dashboard.total_minutes > 0
    assert any(framework.covered for framework in dashboard.coverage)
    assert any(year.contains(draft.occurred_on) for draft in dashboard.drafts)
    assert not Entry.objects.for_user(owner).filter(occurred_on__gt=today).exists()


def assert_previous_year_signed_off(owner: User, year: CpdYear, today: dt.date) -> None:
    previous = year.previous()
    assert build_dashboard(owner, previous, today).checklist.met
    (signoff,) = signoffs_for(owner, previous)
    assert signoff.submission.year == previous.end.year
    assert signoff.signed_on <= today


def assert_submission_in_review(owner: User, year: CpdYear, today: dt.date) -> None:
    submission = Submission.objects.get(membership__student=owner, year=year.end.year)
    assert submission.status == SubmissionStatus.IN_REVIEW
    dates = list(current_snapshot(submission).entries.values_list("occurred_on", flat=True))
    assert dates
    assert all(year.contains(day) and day <= today for day in dates)


@pytest.mark.django_db
@pytest.mark.parametrize("moment", MOMENTS, ids=lambda moment: f"{moment:%Y-%m-%dT%H:%M}")
def test_on_any_day_the_year_is_under_way_and_the_one_before_signed_off(moment):
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=StringIO())
        today = timezone.localdate()
    assert today == moment.date()
    year = cpd_year_containing(today)

    assert_current_year_under_way(practitioner(), year, today)
    assert_previous_year_signed_off(practitioner(), year, today)
    assert_submission_in_review(practitioner(), year, today)


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_demo_data(LATE_IN_YEAR)
    counts = (User.objects.count(), EmailAddress.objects.count(), Entry.objects.count())
    tags = Tag.objects.count()

    load_demo_data(LATE_IN_YEAR)
    load_demo_data(EARLY_IN_YEAR)

    assert (User.objects.count(), EmailAddress.objects.count(), Entry.objects.count()) == (counts)
    assert Tag.objects.count() == tags


@pytest.mark.django_db
def test_existing_practitioner_entries_are_left_alone():
    load_demo_data(LATE_IN_YEAR)
    Entry.objects.for_user(practitioner()).delete()

    load_demo_data(LATE_IN_YEAR)

    assert not Entry.objects.for_user(practitioner()).exists()


@pytest.mark.django_db
def test_drafts_exist_and_lack_a_reflection():
    load_demo_data(LATE_IN_YEAR)
    drafts = Entry.objects.for_user(practitioner()).drafts()
    assert drafts.count() >= 3
    assert all(not draft.has_reflection for draft in drafts)


@pytest.mark.django_db
def test_complete_entries_are_reflected_mapped_and_distinct():
    load_demo_data(LATE_IN_YEAR)
    complete = list(Entry.objects.for_user(practitioner()).complete())

    assert all(entry.has_reflection for entry in complete)
    assert all(entry.duration_minutes and entry.platform for entry in complete)
    assert all(1 <= entry.capabilities.count() <= 3 for entry in complete)
    frameworks = {c.framework.slug for a in complete for c in a.capabilities.all()}
    assert len(frameworks) >= 2
    assert len({a.title for a in complete}) == len(complete)
    assert len({a.what_learned for a in complete}) == len(complete)
    for entry in complete:
        entry.full_clean()


@pytest.mark.django_db
def test_peer_reflected_entries_name_a_role_and_what_was_learned():
    load_demo_data(LATE_IN_YEAR)
    peer = Entry.objects.for_user(practitioner()).complete().filter(is_peer_reflected=True)
    assert peer.count() >= 4
    for entry in peer:
        assert entry.peer_role.strip()
        assert entry.peer_learning.strip()


IDENTIFYING = {
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    "long number": re.compile(r"\d[\d ]{8,}\d"),
    "date": re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
}


@pytest.mark.django_db
def test_entries_hold_no_identifying_details():
    load_demo_data(LATE_IN_YEAR)
    for entry in Entry.objects.for_user(practitioner()):
        text = " ".join(
            [
                entry.title,
                entry.what_happened,
                entry.what_learned,
                entry.impact,
                entry.peer_role,
                entry.peer_learning,
            ]
        )
        for name, pattern in IDENTIFYING.items():
            assert not pattern.search(text), f"{name} in {entry.title!r}"


@pytest.mark.django_db
def test_command_prints_the_logins():
    out = StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    assert "  practitioner  practitioner@example.org  demo-cpd-2026" in output
    assert "leader@example.org" in output
    assert "admin@example.org" in output
    assert Entry.objects.for_user(practitioner()).exists()


@pytest.mark.django_db
def test_the_leader_and_admin_sign_in_with_the_demos_published_second_factor(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())  # a second load sets up nothing twice

    assert DEMO_TOTP_SECRET in out.getvalue()
    assert "manage.py demo_code" in out.getvalue()
    leader, admin = (User.objects.get(email=f"{name}@example.org") for name in ("leader", "admin"))
    for user in (leader, admin):
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    assert not Authenticator.objects.filter(user=practitioner()).exists()

    printed = StringIO()
    call_command("demo_code", stdout=printed)
    assert printed.getvalue().strip() == totp_code(DEMO_TOTP_SECRET)

    response = client.post(
        reverse("account_login"), {"login": "leader@example.org", "password": DEMO_PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": printed.getvalue().strip()})
    assert response.status_code == 302
    assert client.get(reverse("programmes:home")).status_code == 200
