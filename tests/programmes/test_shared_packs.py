"""Evidence packs a student shares with her programme's leaders, pack by pack: who may download
one (every condition checked again on each request), who may share it and stop sharing it, the
pages of both sides, the audit trail and the leaders' notification."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import WorkState
from core.periods import Period
from packs.building import delete_expired_evidence_packs, pack_filename
from packs.models import EvidencePack
from programmes.errors import ActionRefused
from programmes.models import (
    AuditAction,
    AuditEvent,
    Membership,
    Notification,
    NotificationKind,
    SharedPack,
)
from programmes.shared_packs import share_pack, unshare_pack
from tests.factories import make_user

from .conftest import World, join, make_cohort, make_leader

PACK_BYTES = b"PK\x05\x06" + bytes(18)  # an empty ZIP archive

STUDENT = "student"
OTHER_PRACTITIONER = "another practitioner"
LEADER = "leader, whole portfolio shared"
CO_LEADER = "co-leader"
LEADER_SAME_YEAR = "leader, the pack's CPD year shared"
LEADER_OTHER_YEAR = "leader, another CPD year shared"
LEADER_REVOKED = "leader, consent revoked"
LEADER_UNSHARED = "leader, pack no longer shared"
LEADER_EXPIRED = "leader, pack past its expiry"
LEADER_CLEANED_UP = "leader, pack's file deleted by the clean-up"
OTHER_LEADER = "leader of another programme the student shares with, not this pack"
ANONYMOUS = "anonymous"
MAY_DOWNLOAD = {LEADER, CO_LEADER, LEADER_SAME_YEAR}
VIEWERS = [
    STUDENT,
    OTHER_PRACTITIONER,
    LEADER,
    CO_LEADER,
    LEADER_SAME_YEAR,
    LEADER_OTHER_YEAR,
    LEADER_REVOKED,
    LEADER_UNSHARED,
    LEADER_EXPIRED,
    LEADER_CLEANED_UP,
    OTHER_LEADER,
    ANONYMOUS,
]


def make_pack(
    owner: User, start: dt.date, end: dt.date, *, state: WorkState = WorkState.DONE
) -> EvidencePack:
    """A pack as a worker leaves it, without building one: a row and a small stored file."""
    evidence_pack = EvidencePack.objects.create(
        owner=owner,
        period_start=start,
        period_end=end,
        state=state,
        progress=100,
        entry_count=2,
        size=len(PACK_BYTES),
        sha256=hashlib.sha256(PACK_BYTES).hexdigest(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    if state == WorkState.DONE:
        storage = EvidencePack.file.field.storage
        evidence_pack.file = storage.save(
            f"exports/{owner.pk}/{evidence_pack.pk}-1.zip", ContentFile(PACK_BYTES)
        )
        evidence_pack.save(update_fields=["file"])
    return evidence_pack


@pytest.fixture
def pack(world: World) -> EvidencePack:
    return make_pack(world.student, world.this_year.start, world.this_year.end)


@pytest.fixture
def shared(world: World, pack: EvidencePack) -> SharedPack:
    (share,) = share_pack(world.student, pack, [world.membership])
    return share


def viewer_for(world: World, pack: EvidencePack, shared: SharedPack, viewer: str) -> User | None:
    """The user asking, with the consent, the share and the pack as the viewer's name says."""
    if viewer == LEADER_SAME_YEAR:
        world.share(world.this_year.end.year)
    if viewer == LEADER_OTHER_YEAR:
        world.share(world.last_year.end.year)
    if viewer == LEADER_REVOKED:
        world.revoke()
    if viewer == LEADER_UNSHARED:
        unshare_pack(world.student, shared)
    if viewer == LEADER_EXPIRED:
        EvidencePack.objects.filter(pk=pack.pk).update(expires_at=timezone.now())
    if viewer == LEADER_CLEANED_UP:
        EvidencePack.objects.filter(pk=pack.pk).update(expires_at=timezone.now())
        assert delete_expired_evidence_packs(timezone.now()) == 1
    if viewer == OTHER_LEADER:
        join(world.student, world.other_cohort)
    if viewer == CO_LEADER:
        co_leader = make_leader("co.leader@example.org", display_name="Dr Co Leader")
        world.programme.leaders.add(co_leader)
        return co_leader
    return {
        STUDENT: world.student,
        OTHER_PRACTITIONER: world.other_practitioner,
        OTHER_LEADER: world.other_leader,
        ANONYMOUS: None,
    }.get(viewer, world.leader)


def period_label(world: World) -> str:
    return Period(world.this_year.start, world.this_year.end).label


def download_url(evidence_pack: EvidencePack) -> str:
    return reverse("programmes:pack_download", args=[evidence_pack.pk])


def downloads() -> list[tuple[int | None, str]]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.PACK_DOWNLOADED).values_list("actor", "detail")
    )


def rows() -> dict[str, list]:
    """Every row sharing could change, to prove a refused request changed nothing."""
    models = [SharedPack, AuditEvent, Notification, Membership, EvidencePack]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Downloading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_a_leader_the_pack_is_shared_with_downloads_it_while_every_condition_holds(
    viewer, world, pack, shared, client_for
):
    user = viewer_for(world, pack, shared, viewer)

    response = client_for(user).get(download_url(pack))

    if viewer in MAY_DOWNLOAD:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PACK_BYTES
        assert response["Content-Type"] == "application/zip"
        assert f'attachment; filename="{pack_filename(pack)}"' == response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        assert downloads() == [(user.pk, f"{period_label(world)}, through {world.cohort}")]
    else:
        expected = 302 if viewer == ANONYMOUS else 404
        assert response.status_code == expected
        assert downloads() == []
    if viewer == ANONYMOUS:
        assert response["Location"].startswith(reverse("account_login"))


def test_each_request_checks_again(world, pack, shared, client_for):
    leader = client_for(world.leader)
    assert leader.get(download_url(pack)).status_code == 200

    client_for(world.student).post(reverse("programmes:sharing_stop", args=[world.membership.pk]))
    assert leader.get(download_url(pack)).status_code == 404

    world.share(None)  # she shares her portfolio again: the pack's share was never stopped
    assert leader.get(download_url(pack)).status_code == 200

    client_for(world.student).post(reverse("programmes:pack_unshare", args=[shared.pk]))
    assert leader.get(download_url(pack)).status_code == 404
    assert len(downloads()) == 2


def test_a_pack_not_built_yet_cannot_be_downloaded_even_if_a_share_exists(world, client_for):
    queued = make_pack(world.student, world.today, world.today, state=WorkState.QUEUED)
    SharedPack.objects.create(membership=world.membership, evidence_pack=queued)

    assert client_for(world.leader).get(download_url(queued)).status_code == 404


def test_a_missing_file_is_not_found_and_not_recorded_as_downloaded(
    world, pack, shared, client_for
):
    EvidencePack.file.field.storage.delete(pack.file.name)

    assert client_for(world.leader).get(download_url(pack)).status_code == 404
    assert downloads() == []


# --- Sharing and stopping -------------------------------------------------------------------------

OWNER_VIEWERS = [STUDENT, OTHER_PRACTITIONER, LEADER, ANONYMOUS]


def owner_viewer(world: World, viewer: str) -> User | None:
    return {
        STUDENT: world.student,
        OTHER_PRACTITIONER: world.other_practitioner,
        LEADER: world.leader,
        ANONYMOUS: None,
    }[viewer]


@pytest.mark.parametrize("viewer", OWNER_VIEWERS)
def test_only_the_owner_shares_her_pack(viewer, world, pack, client_for):
    before = rows()

    response = client_for(owner_viewer(world, viewer)).post(
        reverse("programmes:pack_share", args=[pack.pk]), {"memberships": [world.membership.pk]}
    )

    if viewer == STUDENT:
        assert response.status_code == 302
        assert response["Location"] == pack.get_absolute_url()
        share = SharedPack.objects.get()
        assert (share.membership, share.evidence_pack, share.is_shared) == (
            world.membership,
            pack,
            True,
        )
        assert message_texts(response) == [
            f"Shared with the leaders of {world.cohort}. They can download it until "
            f"{timezone.localtime(pack.expires_at):%-d %B %Y}, unless you stop sharing it."
        ]
        return
    assert response.status_code == (302 if viewer == ANONYMOUS else 404)
    if viewer == ANONYMOUS:
        assert response["Location"].startswith(reverse("account_login"))
    assert rows() == before


@pytest.mark.parametrize("viewer", OWNER_VIEWERS)
def test_only_the_owner_stops_sharing_her_pack(viewer, world, pack, shared, client_for):
    before = rows()

    response = client_for(owner_viewer(world, viewer)).post(
        reverse("programmes:pack_unshare", args=[shared.pk])
    )

    shared.refresh_from_db()
    if viewer == STUDENT:
        assert response.status_code == 302
        assert response["Location"] == pack.get_absolute_url()
        assert not shared.is_shared
        return
    assert response.status_code == (302 if viewer == ANONYMOUS else 404)
    assert shared.is_shared
    assert rows() == before


@pytest.mark.parametrize("name", ["pack_share", "pack_unshare"])
def test_sharing_views_take_posts_only(name, world, pack, shared, client_for):
    arg = pack.pk if name == "pack_share" else shared.pk

    response = client_for(world.student).get(reverse(f"programmes:{name}", args=[arg]))

    assert response.status_code == 405


def test_nothing_ticked_says_so_and_shares_nothing(world, pack, client_for):
    response = client_for(world.student).post(reverse("programmes:pack_share", args=[pack.pk]))

    assert response.status_code == 302
    assert message_texts(response) == ["Tick at least one programme to share this pack with."]
    assert not SharedPack.objects.exists()


def test_a_cohort_whose_consent_does_not_cover_the_pack_is_not_offered(world, pack, client_for):
    world.share(world.last_year.end.year)
    student = client_for(world.student)

    page = student.get(pack.get_absolute_url()).content.decode()
    response = student.post(
        reverse("programmes:pack_share", args=[pack.pk]), {"memberships": [world.membership.pk]}
    )

    assert "Share this pack</button>" not in page
    assert f"only with {world.cohort}, and this pack covers other dates too" in page
    assert "has changed since the page was shown" in message_texts(response)[0]
    assert not SharedPack.objects.exists()


def test_share_refuses_what_cannot_be_shared(world, pack):
    last_year_only = join(world.student, make_cohort(world.leader, "Practice educators"))
    Membership.objects.filter(pk=last_year_only.pk).update(shared_year=world.last_year.end.year)
    last_year_only.refresh_from_db()
    expired = make_pack(world.student, world.this_year.start, world.this_year.end)
    EvidencePack.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    expired.refresh_from_db()

    with pytest.raises(ActionRefused, match="covers"):
        share_pack(world.student, pack, [world.membership, last_year_only])
    with pytest.raises(ActionRefused, match="expired"):
        share_pack(world.student, expired, [world.membership])
    world.revoke()
    world.membership.refresh_from_db()
    with pytest.raises(ActionRefused, match="You stopped sharing"):
        share_pack(world.student, pack, [world.membership])
    other_membership = Membership.objects.get(student=world.other_practitioner)
    with pytest.raises(ValueError):
        share_pack(world.student, pack, [other_membership])
    with pytest.raises(ValueError):
        share_pack(world.other_practitioner, pack, [other_membership])
    assert not SharedPack.objects.exists()  # all or none: the first refusal undid nothing
    assert not AuditEvent.objects.filter(shared_pack__isnull=False).exists()


# --- The audit trail and the leaders' notification ------------------------------------------------


def pack_events() -> list[tuple]:
    return list(
        AuditEvent.objects.filter(shared_pack__isnull=False).values_list(
            "actor", "action", "submission", "version"
        )
    )


def test_shares_stops_and_downloads_are_in_the_audit_trail(world, pack, client_for):
    student, leader = client_for(world.student), client_for(world.leader)
    share_url = reverse("programmes:pack_share", args=[pack.pk])

    student.post(share_url, {"memberships": [world.membership.pk]})
    share = SharedPack.objects.get()
    student.post(share_url, {"memberships": [world.membership.pk]})  # already shared: refused
    leader.get(download_url(pack))
    student.post(reverse("programmes:pack_unshare", args=[share.pk]))
    student.post(reverse("programmes:pack_unshare", args=[share.pk]))  # already stopped
    student.post(share_url, {"memberships": [world.membership.pk]})

    s, leader_pk = world.student.pk, world.leader.pk
    assert pack_events() == [
        (s, AuditAction.PACK_SHARED, None, None),
        (leader_pk, AuditAction.PACK_DOWNLOADED, None, None),
        (s, AuditAction.PACK_UNSHARED, None, None),
        (s, AuditAction.PACK_SHARED, None, None),
    ]
    assert SharedPack.objects.get() == share  # sharing again reuses the row
    assert share.audit_events.count() == 4
    assert str(share.audit_events.first()) == f"{world.student} shared an evidence pack"


def test_sharing_the_same_pack_twice_records_it_once(world, pack):
    share_pack(world.student, pack, [world.membership])
    share_pack(world.student, pack, [world.membership])

    assert pack_events() == [(world.student.pk, AuditAction.PACK_SHARED, None, None)]


def test_an_audit_event_belongs_to_a_submission_or_a_pack(world, shared):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(actor_name="Nobody", action=AuditAction.PACK_SHARED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(
            submission=world.submission,
            version=1,
            shared_pack=shared,
            actor_name="Nobody",
            action=AuditAction.PACK_SHARED,
        )


def test_the_leaders_are_told_once_per_share(world, pack):
    co_leader = make_leader("co.leader@example.org")
    world.programme.leaders.add(co_leader)

    share_pack(world.student, pack, [world.membership])
    share_pack(world.student, pack, [world.membership])

    told = Notification.objects.filter(kind=NotificationKind.PACK)
    assert sorted(n.user_id for n in told) == sorted([world.leader.pk, co_leader.pk])
    notification = told.first()
    assert notification.url == (
        reverse("programmes:shared_portfolio", args=[world.student.pk]) + "#packs"
    )
    assert notification.text == (
        f"{world.student} shared an evidence pack ({period_label(world)}) with you."
    )


# --- The pages ------------------------------------------------------------------------------------


def test_the_owner_shares_and_stops_on_the_packs_page(world, pack, client_for):
    student = client_for(world.student)

    before = student.get(pack.get_absolute_url()).content.decode()
    student.post(
        reverse("programmes:pack_share", args=[pack.pk]), {"memberships": [world.membership.pk]}
    )
    after = student.get(pack.get_absolute_url()).content.decode()

    assert "Share this pack with the leaders of" in before
    assert f"The leaders of {world.programme} ({world.cohort.name})" in before
    assert f'name="memberships" value="{world.membership.pk}"' in before
    assert "Share this pack</button>" not in after  # her one cohort has it already
    assert f"Stop sharing with {world.cohort.name}" in after
    assert "Shared an evidence pack" in after  # the history


def test_the_sharing_form_waits_for_a_ready_pack(world, client_for):
    queued = make_pack(world.student, world.today, world.today, state=WorkState.QUEUED)

    page = client_for(world.student).get(queued.get_absolute_url()).content.decode()

    assert "Share with your programme leaders" not in page


def test_a_practitioner_in_no_cohort_sees_no_sharing(db, client_for):
    loner = make_user("loner@example.org")
    alone = make_pack(loner, dt.date(2026, 1, 1), dt.date(2026, 2, 1))

    page = client_for(loner).get(alone.get_absolute_url()).content.decode()

    assert "Share with your programme leaders" not in page


def test_the_leader_sees_the_packs_shared_with_them(world, pack, shared, client_for):
    url = reverse("programmes:shared_portfolio", args=[world.student.pk])
    unshared = make_pack(world.student, world.last_year.start, world.last_year.end)
    # Shared with two cohorts the leader leads: listed once.
    second = join(world.student, make_cohort(world.leader, "Practice educators"))
    share_pack(world.student, pack, [second])

    response = client_for(world.leader).get(url)

    assert [share.evidence_pack for share in response.context["packs"]] == [pack]
    content = response.content.decode()
    assert download_url(pack) in content
    assert download_url(unshared) not in content
    assert "Evidence packs shared with you" in content

    unshare_pack(world.student, shared)
    unshare_pack(world.student, SharedPack.objects.get(membership=second))
    assert client_for(world.leader).get(url).context["packs"] == []


def test_the_leaders_list_hides_expired_packs(world, pack, shared, client_for):
    EvidencePack.objects.filter(pk=pack.pk).update(expires_at=timezone.now())

    response = client_for(world.leader).get(
        reverse("programmes:shared_portfolio", args=[world.student.pk])
    )

    assert response.context["packs"] == []
    assert "No evidence packs shared with you." in response.content.decode()


def test_the_leaders_list_runs_the_same_queries_however_many_packs(
    world, client_for, django_assert_num_queries
):
    def share_packs(count: int) -> None:
        for _ in range(count):
            evidence_pack = make_pack(world.student, world.today, world.today)
            share_pack(world.student, evidence_pack, [world.membership])

    client = client_for(world.leader)
    url = reverse("programmes:shared_portfolio", args=[world.student.pk])
    share_packs(1)
    client.get(url)  # warm up: the first request of a session may differ

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    share_packs(10)
    with django_assert_num_queries(len(few)):
        response = client.get(url)

    assert len(response.context["packs"]) == 11
