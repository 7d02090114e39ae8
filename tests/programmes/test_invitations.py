"""Inviting students and accepting: bound to the invited address, single use, until expiry;
a signed-out invitee logs in or signs up and comes back; every refusal says why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.cpd_year import cpd_year_containing
from core.models import OutgoingEmail
from programmes import invitations
from programmes.invitations import accept_path
from programmes.models import Invitation, Membership, Notification, NotificationKind
from tests.factories import PASSWORD, make_user

from .conftest import join, make_cohort

pytestmark = pytest.mark.calendar  # invitations expire a number of days from now

INVITE_TOKEN = re.compile(r"/invitations/(\S+)/")
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def cohort(programme_leader):
    return make_cohort(programme_leader, "Advanced practice MSc")


@pytest.fixture
def send(cohort, programme_leader, monkeypatch, django_capture_on_commit_callbacks):
    """Invite an address; returns the invitation and the token its owed email carries."""
    monkeypatch.setattr(outbox, "_enqueue", lambda pk: None)

    def send_to(email: str) -> tuple[Invitation, str]:
        with django_capture_on_commit_callbacks(execute=True):
            invitations.invite(cohort, [email], invited_by=programme_leader)
        invitation = Invitation.objects.filter(email=email).latest("pk")
        owed = OutgoingEmail.objects.get(about=outbox.about_key(invitation, invitation.token_hash))
        return invitation, INVITE_TOKEN.search(owed.body)[1]

    return send_to


def shared_choice(value: str) -> dict:
    return {"sharing-shared": value}


# --- Inviting ------------------------------------------------------------------------------------


def test_an_invitation_stores_only_a_hash_and_expires_after_the_configured_days(send, settings):
    settings.PROGRAMME_INVITATION_DAYS = 3
    invitation, token = send("new.student@example.org")

    assert invitation.token_hash == invitations.token_hash(token) != token
    assert token not in str(Invitation.objects.values().get())
    expected = timezone.now() + dt.timedelta(days=3)
    assert abs(invitation.expires_at - expected) < dt.timedelta(minutes=1)
    assert invitation.accepted_at is None


def test_inviting_again_sends_a_new_link_and_retires_the_old(send, practitioner, client_for):
    first, old_token = send("alex@example.org")
    second, new_token = send("alex@example.org")

    assert second.pk == first.pk
    assert Invitation.objects.count() == 1
    client = client_for(practitioner)
    assert client.get(accept_path(old_token)).status_code == 404
    assert client.get(accept_path(new_token)).status_code == 200


def test_inviting_again_after_expiry_renews_the_invitation(
    send, practitioner, client_for, cohort, settings
):
    first, old_token = send("alex@example.org")
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    renewed, new_token = send("alex@example.org")

    assert renewed.pk == first.pk
    assert renewed.expires_at > timezone.now() + dt.timedelta(
        days=settings.PROGRAMME_INVITATION_DAYS - 1
    )
    assert Invitation.objects.count() == 1
    client = client_for(practitioner)
    assert client.get(accept_path(old_token)).status_code == 404
    assert client.post(accept_path(new_token), shared_choice("all")).status_code == 302
    assert Membership.objects.get().cohort == cohort


def test_inviting_renews_an_invitation_stored_in_another_case(send, cohort, programme_leader):
    typed = Invitation.objects.create(
        cohort=cohort,
        email="Alex@Example.org",
        token_hash=invitations.token_hash("t0ken"),
        expires_at=timezone.now() - dt.timedelta(days=1),
        invited_by=programme_leader,
    )

    invitations.invite(cohort, ["alex@example.org"], invited_by=programme_leader)

    assert Invitation.objects.get().pk == typed.pk
    assert Invitation.objects.pending().filter(pk=typed.pk).exists()


def test_an_address_can_be_invited_again_once_it_has_joined_and_left(
    send, practitioner, client_for, cohort
):
    first, token = send("alex@example.org")
    client = client_for(practitioner)
    client.post(accept_path(token), shared_choice("all"))
    Membership.objects.update(revoked_at=timezone.now())

    second, new_token = send("alex@example.org")

    assert second.pk != first.pk
    assert client.post(accept_path(new_token), shared_choice("all")).status_code == 302
    assert Membership.objects.get().is_sharing


def test_the_overview_lists_the_invitations_sent_only_when_asked(
    send, cohort, programme_leader, client_for, time_machine, settings
):
    """A cohort may have hundreds: the overview counts them, and lists them, with what became
    of each, when its leader opens the list (htmx) or follows the link without JavaScript."""
    settings.PROGRAMME_INVITATION_DAYS = 3
    joined, _token = send("joined@example.org")
    invitations.accept_invitation(joined, make_user("joined@example.org"), shared_year=None)
    send("waiting@example.org")
    client = client_for(programme_leader)
    overview_url = reverse("programmes:cohort_overview", args=[cohort.pk])

    overview = client.get(overview_url).content.decode()
    assert "Invitations sent (2)" in overview
    assert "waiting@example.org" not in overview
    assert 'href="?invitations=1"' in overview

    opened = client.get(
        reverse("programmes:invite", args=[cohort.pk]), headers={"HX-Request": "true"}
    )
    listed = opened.content.decode()
    assert "<main" not in listed
    assert "Joined" in listed and "waiting@example.org" in listed and "Waiting, until" in listed

    time_machine.shift(dt.timedelta(days=4))
    without_javascript = client.get(f"{overview_url}?invitations=1").content.decode()
    assert "<main" in without_javascript and "Expired" in without_javascript


def test_existing_users_are_told_in_the_app(send, practitioner, other_practitioner):
    send("alex@example.org")

    notification = Notification.objects.get()
    assert notification.user == practitioner
    assert notification.kind == NotificationKind.INVITATION
    assert notification.url == reverse("programmes:home")
    assert not OutgoingEmail.objects.filter(kind="notification").exists()  # the link is emailed


def report(response) -> list[tuple[str, str, str]]:
    result = response.context["invitation_result"]
    return [(each.address, str(each.outcome), each.reason) for each in result.outcomes]


def test_a_pasted_list_is_reported_per_address_and_bad_ones_do_not_stop_the_rest(
    cohort, programme_leader, client_for
):
    response = client_for(programme_leader).post(
        reverse("programmes:invite", args=[cohort.pk]),
        {"emails": "good@example.org, not-an-address\nalso@bad"},
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("programmes:cohort_overview", args=[cohort.pk]) + "#invite-heading", 302)
    ]
    assert report(response) == [
        ("good@example.org", "invited", ""),
        ("not-an-address", "invalid", "not an email address (there is no @)"),
        ("also@bad", "invalid", "not an email address"),
    ]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["good@example.org"]
    page = response.content.decode()
    assert "1 invitation sent; 2 to correct below" in page
    assert "also@bad</span>:\n" in page or "also@bad</span>:" in page
    # What was not sent is left in the box, to be corrected and sent again.
    assert response.context["invitation_form"].initial == {"emails": "not-an-address\nalso@bad"}


def test_the_invite_form_takes_many_addresses_and_skips_students_already_sharing(
    cohort, programme_leader, practitioner, client_for
):
    join(practitioner, cohort)

    response = client_for(programme_leader).post(
        reverse("programmes:invite", args=[cohort.pk]),
        {"emails": "ALEX@example.org; b@example.org\n c@example.org, b@example.org"},
        follow=True,
    )

    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "b@example.org",
        "c@example.org",
    ]
    assert report(response) == [
        ("alex@example.org", "already a member", ""),
        ("b@example.org", "invited", ""),
        ("c@example.org", "invited", ""),
    ]
    assert "already in the cohort and sharing, not invited again" in response.content.decode()


def test_names_pasted_from_an_email_program_are_kept_with_their_addresses(
    cohort, programme_leader, client_for
):
    response = client_for(programme_leader).post(
        reverse("programmes:invite", args=[cohort.pk]),
        {
            "emails": 'Alice Student <Alice@Example.net>; "Student, Bob" <bob@example.net>,\n'
            "carol@example.net"
        },
        follow=True,
    )

    assert [address for address, *_ in report(response)] == [
        "alice@example.net",
        "bob@example.net",
        "carol@example.net",
    ]
    assert dict(Invitation.objects.values_list("email", "name")) == {
        "alice@example.net": "Alice Student",
        "bob@example.net": "Student, Bob",
        "carol@example.net": "",
    }


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        (
            "a@example.org b@example.org",
            [invitations.Invitee("a@example.org"), invitations.Invitee("b@example.org")],
        ),
        ("a@example.org;;a@example.org,A@EXAMPLE.ORG", [invitations.Invitee("a@example.org")]),
        ("Ann  Lee <ann@example.org>", [invitations.Invitee("ann@example.org", "Ann Lee")]),
        ("<ann@example.org>", [invitations.Invitee("ann@example.org")]),
        (
            "Ann <not an address>",
            [invitations.Unreadable("not an address", "not an email address (there is no @)")],
        ),
        ("x@", [invitations.Unreadable("x@", "not an email address")]),
        (" \n , ; ", []),
    ],
)
def test_reading_pasted_addresses(pasted, expected):
    assert invitations.read_pasted_addresses(pasted) == expected


def test_the_report_is_shown_once_and_reloading_the_page_sends_nothing_again(
    cohort, programme_leader, client_for
):
    client = client_for(programme_leader)
    overview = reverse("programmes:cohort_overview", args=[cohort.pk])
    client.post(reverse("programmes:invite", args=[cohort.pk]), {"emails": "a@example.org, x@"})

    shown = client.get(overview)
    reloaded = client.get(overview)

    assert "1 invitation sent; 1 to correct below" in shown.content.decode()
    assert shown.context["invitation_form"].initial == {"emails": "x@"}
    assert reloaded.context["invitation_result"] is None
    assert "invitation sent" not in reloaded.content.decode()
    assert Invitation.objects.count() == 1


def test_a_report_is_shown_only_on_the_cohort_it_is_about(cohort, programme_leader, client_for):
    other = make_cohort(programme_leader, "Another intake")
    client = client_for(programme_leader)
    client.post(reverse("programmes:invite", args=[cohort.pk]), {"emails": "a@example.org"})

    elsewhere = client.get(reverse("programmes:cohort_overview", args=[other.pk]))
    here = client.get(reverse("programmes:cohort_overview", args=[cohort.pk]))

    assert elsewhere.context["invitation_result"] is None
    assert here.context["invitation_result"].sent == ["a@example.org"]


def test_an_empty_paste_is_refused_with_a_message(cohort, programme_leader, client_for):
    response = client_for(programme_leader).post(
        reverse("programmes:invite", args=[cohort.pk]), {"emails": " ,; "}
    )

    assert response.context["invitation_form"].errors["emails"] == [
        "Paste at least one email address."
    ]
    assert not Invitation.objects.exists()


# --- Accepting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shared_year", [None, "this", "last"])
def test_accepting_joins_the_cohort_with_the_chosen_sharing(
    shared_year, send, practitioner, cohort, client_for
):
    this_year = cpd_year_containing(timezone.localdate())
    years = {None: None, "this": this_year.end.year, "last": this_year.previous().end.year}
    invitation, token = send("alex@example.org")
    value = "all" if shared_year is None else str(years[shared_year])

    response = client_for(practitioner).post(accept_path(token), shared_choice(value))

    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:home")
    membership = Membership.objects.get(cohort=cohort, student=practitioner)
    assert membership.shared_year == years[shared_year]
    assert membership.is_sharing
    invitation.refresh_from_db()
    assert invitation.accepted_by == practitioner
    assert invitation.accepted_at is not None


def test_the_address_matches_whatever_its_case(cohort, programme_leader, practitioner, client_for):
    EmailAddress.objects.filter(user=practitioner).update(email="Alex@Example.ORG")
    invitation = Invitation.objects.create(
        cohort=cohort,
        email="ALEX@example.org",
        token_hash=invitations.token_hash("t0ken"),
        expires_at=timezone.now() + dt.timedelta(days=1),
        invited_by=programme_leader,
    )

    response = client_for(practitioner).post(accept_path("t0ken"), shared_choice("all"))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_by == practitioner


def refusal(response) -> str:
    assert response.status_code in (403, 404, 410)
    return response.context["problem"]


def test_an_unknown_link_says_it_is_not_valid(practitioner, client_for):
    response = client_for(practitioner).get(accept_path("made-up-token"))

    assert response.status_code == 404
    assert "This invitation link is not valid" in refusal(response)


def test_an_expired_invitation_says_when_it_expired(send, practitioner, client_for):
    invitation, token = send("alex@example.org")
    expired = timezone.now() - dt.timedelta(days=1)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=expired)
    client = client_for(practitioner)

    shown = client.get(accept_path(token))
    posted = client.post(accept_path(token), shared_choice("all"))

    for response in (shown, posted):
        assert response.status_code == 403
        assert refusal(response) == (
            f"This invitation to join {invitation.cohort}, sent to a••••@example.org, expired "
            f"on {timezone.localtime(expired):%-d %B %Y}. Ask Dr Sam Patel to invite you again."
        )
    assert not Membership.objects.exists()


def test_a_used_invitation_cannot_be_used_again(send, practitioner, client_for, cohort):
    _, token = send("alex@example.org")
    client = client_for(practitioner)
    assert client.post(accept_path(token), shared_choice("all")).status_code == 302
    other = make_user("second.person@example.org")
    EmailAddress.objects.create(user=other, email="alex.alias@example.org", verified=True)

    again = client.post(accept_path(token), shared_choice("all"))
    by_someone_else = client_for(other).get(accept_path(token))

    assert refusal(again) == f"You have already joined {cohort} with this invitation."
    assert refusal(by_someone_else) == (
        f"This invitation to join {cohort}, sent to a••••@example.org, has already been used. "
        "If that was you, log in to see the cohort; otherwise ask Dr Sam Patel for a new "
        "invitation."
    )
    assert Membership.objects.count() == 1


def test_an_invitation_for_another_address_is_refused(send, other_practitioner, client_for):
    _, token = send("alex@example.org")

    response = client_for(other_practitioner).post(accept_path(token), shared_choice("all"))

    assert refusal(response) == (
        "This invitation was sent to a••••@example.org, but you are signed in as "
        "jo@example.org. Log in with the invited address, or ask Dr Sam Patel to invite "
        "jo@example.org instead."
    )
    assert not Membership.objects.exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_unverified_address_is_not_enough(send, client_for):
    user = make_user("unverified@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    _, token = send("unverified@example.org")

    response = client_for(user).post(accept_path(token), shared_choice("all"))

    assert "was sent to u••••@example.org" in refusal(response)
    assert not Membership.objects.exists()


def test_a_leader_cannot_join_their_own_programme(send, programme_leader, client_for, cohort):
    _, token = send("leader@example.org")

    response = client_for(programme_leader).get(accept_path(token))

    assert refusal(response) == (
        f"You lead {cohort.programme}, so you cannot join it as a student."
    )


def test_joining_again_after_revoking_gives_consent_again(send, practitioner, cohort, client_for):
    membership = join(practitioner, cohort, shared_year=2020)
    Membership.objects.filter(pk=membership.pk).update(revoked_at=timezone.now())
    _, token = send("alex@example.org")

    client_for(practitioner).post(accept_path(token), shared_choice("all"))

    membership.refresh_from_db()
    assert (membership.is_sharing, membership.shared_year) == (True, None)
    assert Membership.objects.count() == 1


# --- Signed out: log in or sign up, and come back ------------------------------------------------


def test_a_signed_out_invitee_logs_in_and_is_brought_back(send, practitioner, client):
    _, token = send("alex@example.org")
    url = accept_path(token)

    landing = client.get(url)
    login_url = reverse("account_login") + f"?next={url}"
    assert landing.status_code == 200
    assert f'href="{login_url}"' in landing.content.decode()
    assert "a••••@example.org" in landing.content.decode()
    assert "alex@example.org" not in landing.content.decode()  # not known to be theirs yet

    logged_in = client.post(
        reverse("account_login"), {"login": "alex@example.org", "password": PASSWORD, "next": url}
    )

    assert logged_in.status_code == 302
    assert logged_in["Location"] == url
    assert client.post(url, shared_choice("all")).status_code == 302
    assert Membership.objects.get().student == practitioner


def test_a_new_invitee_signs_up_verifies_and_is_brought_back(
    send, client, mailoutbox, send_owed_emails
):
    _, token = send("new.student@example.org")
    url = accept_path(token)
    client.get(url)

    form = client.get(reverse("account_signup") + f"?next={url}").context["form"]
    assert form.initial["email"] == "new.student@example.org"  # filled in from the invitation
    signed_up = client.post(
        reverse("account_signup") + f"?next={url}",
        {
            "display_name": "New Student",
            "email": "new.student@example.org",
            "password1": "a-long-unusual-passphrase-42",
            "password2": "a-long-unusual-passphrase-42",
        },
    )
    assert signed_up.status_code == 302
    assert "signup_details" not in client.session  # used once, then forgotten
    send_owed_emails()
    confirm = CONFIRM_LINK.search(mailoutbox[-1].body)[0]
    confirmed = client.post(confirm)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == url
    assert client.post(url, shared_choice("all")).status_code == 302
    assert Membership.objects.get().student.email == "new.student@example.org"


# --- Joining from the programmes page ----------------------------------------------------------


def test_pending_invitations_are_listed_and_joined_from_the_programmes_page(
    send, practitioner, other_practitioner, client_for, cohort
):
    invitation, _ = send("alex@example.org")
    client = client_for(practitioner)

    listed = client.get(reverse("programmes:home")).context["invitations"]
    joined = client.post(
        reverse("programmes:invitation_join", args=[invitation.pk]),
        {f"invitation-{invitation.pk}-shared": "all"},
    )
    refused = client_for(other_practitioner).post(
        reverse("programmes:invitation_join", args=[invitation.pk]),
        {f"invitation-{invitation.pk}-shared": "all"},
    )

    assert [i for i, _ in listed] == [invitation]
    assert joined.status_code == 302
    assert refused.status_code == 404
    assert list(Membership.objects.values_list("student", flat=True)) == [practitioner.pk]
    assert client.get(reverse("programmes:home")).context["invitations"] == []


# --- Signed out: an invitation that cannot be used says so before any sign-up -------------------


@pytest.mark.parametrize("state", ["expired", "used"])
def test_a_signed_out_visitor_learns_at_once_that_an_invitation_cannot_be_used(
    state, send, practitioner, client, cohort
):
    invitation, token = send("alex@example.org")
    if state == "expired":
        invitation.expires_at = timezone.now() - dt.timedelta(days=2)
    else:
        invitation.accepted_at, invitation.accepted_by = timezone.now(), practitioner
    invitation.save()

    response = client.get(accept_path(token))

    assert response.status_code == 410
    problem = response.context["problem"]
    assert ("expired on" if state == "expired" else "has already been used") in problem
    page = response.content.decode()
    assert "a••••@example.org" in page
    assert "alex@example.org" not in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert reverse("account_signup") not in main  # no sign-up offered (the navigation aside)
    assert "signup_details" not in client.session


def test_a_valid_invitation_fills_in_the_sign_up_form_with_its_address_and_name(
    cohort, programme_leader, client, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(outbox, "_enqueue", lambda pk: None)
    invitations.invite(
        cohort,
        invitations.read_pasted_addresses("Alice Student <alice@example.net>"),
        invited_by=programme_leader,
    )
    owed = OutgoingEmail.objects.get(kind="invitation")
    assert owed.body.startswith("Hello Alice Student,")
    token = INVITE_TOKEN.search(owed.body)[1]

    landing = client.get(accept_path(token))
    form = client.get(reverse("account_signup")).context["form"]

    assert landing.status_code == 200
    assert "alice@example.net" not in landing.content.decode()
    assert (form.initial["email"], form.initial["display_name"]) == (
        "alice@example.net",
        "Alice Student",
    )


def test_the_sign_up_form_is_empty_without_an_invitation(client, db):
    form = client.get(reverse("account_signup")).context["form"]

    assert "email" not in form.initial and "display_name" not in form.initial


@pytest.mark.parametrize(
    ("email", "masked"),
    [("alex@example.org", "a••••@example.org"), ("x@y.uk", "x••••@y.uk")],
)
def test_a_masked_address_shows_only_its_first_letter_and_domain(email, masked):
    assert invitations.masked(email) == masked


def test_the_invite_forms_example_of_a_named_address_is_shown_not_swallowed(
    cohort, programme_leader, client_for
):
    page = client_for(programme_leader).get(cohort.get_absolute_url()).content.decode()

    assert "(Alice Student &lt;alice@example.net&gt;)" in page
