"""Deleting an account (accounts/erasure.py): nothing of the person's stays, no row and no
file, except the record a programme keeps of a student, under a pseudonym, as the README says;
files go only once the deletion commits; the site's page asks for re-authentication and a
confirmation, the admin's delete does the same erasure; a programme's last leader must first
hand it over."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from account_data.models import AccountExport
from accounts.erasure import ErasureRefused, erase_account
from accounts.models import Role, User
from api.tokens import create_token
from core.models import OutgoingEmail, WorkState
from portfolio.models import Evidence, Tag
from programmes.access import submission_for
from programmes.models import (
    AuditAction,
    AuditEvent,
    Comment,
    Invitation,
    Membership,
    Notification,
    SharedPack,
    SignOff,
    SnapshotEntry,
    Submission,
    SubmissionStatus,
)
from programmes.review import add_comment, reply, request_changes, sign_off
from programmes.shared_packs import share_pack
from programmes.submissions import resubmit
from resources.reading_list import set_saved
from summaries.models import ReflectiveSummary
from tests.factories import PASSWORD, make_entry, make_user
from tests.imports.staged import pdf_attachment, proposal, staged_batch
from tests.resources.factories import make_resource

from .conftest import World, make_leader
from .test_shared_packs import make_pack

SIGN_OFF_STATEMENT = "Meets the standard for the year."


def stored_files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def add_evidence(owner: User, name: str = "certificate.pdf") -> Evidence:
    entry = make_entry(owner)
    return Evidence.objects.create(
        entry=entry,
        file=ContentFile(b"%PDF-1.4 evidence", name=name),
        original_name=name,
        content_type="application/pdf",
        size=17,
    )


def give_her_everything(world: World, client) -> None:
    """Everything a student can have, besides the world's entries, membership and submission:
    evidence, a pack shared with her cohort, a summary, an import with a staged file, an
    export of her account, a token, a tag, a reading list, a session, and a reviewed
    submission with a conversation."""
    student, leader = world.student, world.leader
    add_evidence(student)
    pack = make_pack(student, world.this_year.start, world.this_year.end)
    share_pack(student, pack, [world.membership])
    ReflectiveSummary.objects.create(
        owner=student,
        period_start=world.this_year.start,
        period_end=world.this_year.end,
        version=1,
        input_hash="0" * 64,
        state=WorkState.DONE,
        text="My year, reflected on.",
    )
    batch = staged_batch(student, [proposal(1, attachments=[pdf_attachment()])])
    batch.file.save("upload.csv", ContentFile(b"title\nA"), save=True)
    create_token(student, name="My reading app", scope="read")
    account_export = AccountExport.objects.create(owner=student, state=WorkState.DONE)
    account_export.file.save(f"account-exports/{student.pk}/all.zip", ContentFile(b"PK"))
    Tag.objects.create(owner=student, name="thresholds")
    set_saved(student, make_resource(), True)
    assert client.login(email=student.email, password=PASSWORD)

    as_leader = submission_for(leader, world.submission.pk)
    entry = world.submission.snapshots.get().entries.first()
    comment = add_comment(as_leader, leader, "Say more about the impact.", entry=entry)
    as_student = submission_for(student, world.submission.pk)
    reply(as_student, student, comment, "I changed my Mum's plan.")
    request_changes(as_leader, leader, "Add the impact on your practice.")
    resubmit(world.submission, note="Added the impact, as asked.")
    sign_off(
        submission_for(leader, world.submission.pk),
        leader,
        name="Dr Sam Patel",
        role="Programme leader",
        signed_on=world.today,
        statement=SIGN_OFF_STATEMENT,
        confirmed=True,
    )


def rows_naming(user_id: int) -> list[str]:
    """Every row, in every model, with a foreign key to the account ``user_id``; and every
    session signed in as it."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                rows = model._base_manager.filter(**{field.attname: user_id})
                found += [f"{model.__name__}.{field.name}"] * rows.count()
    found += [
        "Session"
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    return found


def test_erasing_a_student_leaves_no_row_or_file_of_hers_and_the_programmes_record(
    world, private_media, client, django_capture_on_commit_callbacks
):
    give_her_everything(world, client)
    others_files = {add_evidence(world.other_practitioner).file.name}
    before = stored_files(private_media)
    theirs = before - others_files
    assert {name.split("/")[0] for name in theirs} == {
        "account-exports",
        "evidence",
        "exports",
        "imports",
    }
    assert rows_naming(world.student.pk)
    student_id, address = world.student.pk, world.student.email
    assert OutgoingEmail.objects.filter(recipient=address).exists()  # her review's emails

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(world.student)

    assert stored_files(private_media) == others_files
    assert rows_naming(student_id) == []
    assert not User.objects.filter(pk=student_id).exists()
    assert not OutgoingEmail.objects.filter(recipient=address).exists()
    assert not Invitation.objects.filter(email__iexact="alex@example.org").exists()
    # Signed out: the session she had is gone.
    assert client.get(reverse("portfolio:dashboard")).status_code == 302

    # What the programme keeps, as the README says.
    membership = Membership.objects.get(pk=world.membership.pk)
    pseudonym = membership.erased_as
    assert pseudonym.startswith("Deleted student ")
    assert membership.student is None and not membership.is_sharing
    submission = Submission.objects.get(pk=world.submission.pk)
    assert submission.status == SubmissionStatus.SIGNED_OFF
    assert [s.number for s in submission.snapshots.all()] == [1, 2]
    assert all(s.note == "" for s in submission.snapshots.all())
    signoff = SignOff.objects.get(submission=submission)
    assert (signoff.name, signoff.statement) == ("Dr Sam Patel", SIGN_OFF_STATEMENT)
    assert not SnapshotEntry.objects.filter(snapshot__submission=submission).exists()
    assert not Comment.objects.filter(snapshot__submission=submission).exists()
    share = SharedPack.objects.get(membership=membership)
    assert share.evidence_pack is None and not share.is_shared

    trail = list(
        AuditEvent.objects.filter(submission=submission).values_list(
            "actor_name", "action", "detail"
        )
    )
    assert [(who, action) for who, action, _ in trail] == [
        (pseudonym, AuditAction.SUBMITTED),
        ("Dr Sam Patel", AuditAction.COMMENTED),
        (pseudonym, AuditAction.REPLIED),
        ("Dr Sam Patel", AuditAction.CHANGES_REQUESTED),
        (pseudonym, AuditAction.RESUBMITTED),
        ("Dr Sam Patel", AuditAction.SIGNED_OFF),
    ]
    assert "Mum" not in str(trail)  # her words, and the leader's comment on her entry, went
    assert SIGN_OFF_STATEMENT in trail[-1][2]
    consent = AuditEvent.objects.filter(membership=membership).last()
    assert (consent.actor_name, consent.action) == (pseudonym, AuditAction.ACCOUNT_DELETED)
    everywhere = AuditEvent.objects.values_list("actor_name", "detail")
    assert not [row for row in everywhere if "Alex Morgan" in str(row)]
    assert not Notification.objects.filter(text__contains="Alex Morgan").exists()


def test_a_rolled_back_erasure_loses_no_file(world, private_media):
    add_evidence(world.student)
    make_pack(world.student, world.this_year.start, world.this_year.end)
    before = stored_files(private_media)

    with pytest.raises(RuntimeError), transaction.atomic():
        erase_account(world.student)
        raise RuntimeError("something after it failed")

    assert stored_files(private_media) == before
    assert User.objects.filter(pk=world.student.pk).exists()


def test_the_leader_sees_the_kept_record_and_cannot_act_on_it(world, client_for):
    erase_account(world.student)
    client = client_for(world.leader)

    records = reverse("programmes:cohort_records", args=[world.cohort.pk])
    page = client.get(records).content.decode()
    pseudonym = Membership.objects.get(pk=world.membership.pk).erased_as
    assert pseudonym in page and "Deleted their account" in page
    record = client.get(world.submission.get_absolute_url())
    assert record.status_code == 200
    assert "The student deleted their account" in record.content.decode()
    assert "Your decision" not in record.content.decode()

    url = reverse("programmes:sign_off", args=[world.submission.pk])
    client.post(
        url,
        {"name": "Dr", "role": "Leader", "signed_on": world.today, "statement": "Late."},
    )
    assert not SignOff.objects.exists()
    other = client_for(world.other_leader).get(world.submission.get_absolute_url())
    assert other.status_code == 404


# --- The page: re-authentication, a plain statement, a confirmation --------------------------


def reauthenticated(client, user: User):
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


DELETE_URL = "/accounts/delete/"


@pytest.mark.django_db
def test_the_page_asks_for_the_password_again_first(practitioner, client):
    assert reverse("accounts:delete") == DELETE_URL
    anonymous = client.get(DELETE_URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse(settings.LOGIN_URL))

    client.force_login(practitioner)
    confirmed = {"email": "alex@example.org"}
    for response in (client.get(DELETE_URL), client.post(DELETE_URL, confirmed)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=practitioner.pk).exists()


@pytest.mark.django_db
def test_the_page_says_what_happens_and_deletes_only_on_a_confirmed_post(practitioner, client):
    reauthenticated(client, practitioner)

    page = client.get(DELETE_URL)
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    assert "Deleted student" in page.content.decode()
    assert client.put(DELETE_URL).status_code == 405

    wrong = client.post(DELETE_URL, {"email": "jo@example.org"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=practitioner.pk).exists()

    response = client.post(DELETE_URL, {"email": "Alex@Example.org"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=practitioner.pk).exists()
    assert client.get(reverse("portfolio:dashboard")).status_code == 302
    assert not client.login(email="alex@example.org", password=PASSWORD)


@pytest.mark.django_db
def test_nobody_deletes_another_persons_account(practitioner, other_practitioner, client):
    reauthenticated(client, practitioner)

    response = client.post(DELETE_URL, {"email": other_practitioner.email})

    assert response.status_code == 400
    assert User.objects.filter(pk__in=[practitioner.pk, other_practitioner.pk]).count() == 2


# --- Leaders ------------------------------------------------------------------------------------


def test_the_last_leader_of_a_programme_is_asked_to_hand_it_over_first(world, client):
    reauthenticated(client, world.leader)

    page = client.get(DELETE_URL).content.decode()
    assert f"You are the only leader of {world.programme}" in page
    client.post(DELETE_URL, {"email": world.leader.email})
    with pytest.raises(ErasureRefused, match="only leader"):
        erase_account(world.leader)

    assert User.objects.filter(pk=world.leader.pk).exists()


def test_a_leader_with_a_co_leader_goes_and_their_sign_off_stays(world, client):
    as_leader = submission_for(world.leader, world.submission.pk)
    sign_off(
        as_leader,
        world.leader,
        name="Dr Sam Patel",
        role="Programme leader",
        signed_on=world.today,
        statement=SIGN_OFF_STATEMENT,
        confirmed=True,
    )
    co_leader = make_leader("co.leader@example.org")
    world.programme.leaders.add(co_leader)
    reauthenticated(client, world.leader)

    assert client.post(DELETE_URL, {"email": world.leader.email}).status_code == 302

    assert not User.objects.filter(pk=world.leader.pk).exists()
    assert list(world.programme.leaders.all()) == [co_leader]
    signoff = SignOff.objects.get()
    assert (signoff.signed_by, signoff.name) == (None, "Dr Sam Patel")
    # The student and her record are untouched.
    assert Membership.objects.get(pk=world.membership.pk).student == world.student


# --- The admin ----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(db, client):
    client.force_login(make_user("admin@example.org", role=Role.ADMIN, is_superuser=True))
    return client


def test_the_admins_delete_is_the_same_erasure(
    world, admin_client, private_media, django_capture_on_commit_callbacks
):
    add_evidence(world.student)
    url = reverse("admin:accounts_user_delete", args=[world.student.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "Alex Morgan" in confirm.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=world.student.pk).exists()
    assert stored_files(private_media) == set()
    assert Membership.objects.get(pk=world.membership.pk).erased_as.startswith("Deleted student")
    assert not AuditEvent.objects.filter(actor_name="Alex Morgan").exists()


def test_the_admins_bulk_delete_is_the_same_erasure_and_names_what_stops_it(world, admin_client):
    changelist = reverse("admin:accounts_user_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [world.student.pk, world.leader.pk]}

    refused = admin_client.post(changelist, chosen)
    assert f"You are the only leader of {world.programme}" in refused.content.decode()
    admin_client.post(changelist, {**chosen, "post": "yes"})
    assert User.objects.filter(pk__in=[world.student.pk, world.leader.pk]).count() == 2

    chosen["_selected_action"] = [world.student.pk]
    admin_client.post(changelist, {**chosen, "post": "yes"})
    assert not User.objects.filter(pk=world.student.pk).exists()
    assert Membership.objects.get(pk=world.membership.pk).is_erased
