"""Who may open what in the programmes app: every view, as the student, as a leader of her
programme while she shares everything, while she shares another year only and after she
revoked her consent, as a leader of another programme, as another practitioner, and signed out.
A refused request changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from programmes.access import submission_for
from programmes.models import (
    AuditEvent,
    Cohort,
    Comment,
    Invitation,
    Membership,
    Notification,
    Programme,
    SignOff,
    Snapshot,
    Submission,
)
from programmes.review import request_changes

from .conftest import (
    DRAFT_TITLE,
    LAST_YEAR_TITLE,
    OTHER_TITLE,
    THIS_YEAR_TITLE,
    World,
)

# Who is asking, and what the student has consented to at the time.
STUDENT = "student"
LEADER = "leader"  # the student shares her whole portfolio
LEADER_OTHER_YEAR = "leader, other year shared"  # she shares last year only
LEADER_REVOKED = "leader, consent revoked"
OTHER_LEADER = "leader of another programme"
OTHER_PRACTITIONER = "another practitioner"
ANONYMOUS = "anonymous"
VIEWERS = [
    STUDENT,
    LEADER,
    LEADER_OTHER_YEAR,
    LEADER_REVOKED,
    OTHER_LEADER,
    OTHER_PRACTITIONER,
    ANONYMOUS,
]
LEADERS_OF_THE_PROGRAMME = {LEADER, LEADER_OTHER_YEAR, LEADER_REVOKED}


def viewer_for(world: World, viewer: str):
    """The user asking, with the student's consent set as the viewer's name says."""
    if viewer == LEADER_OTHER_YEAR:
        world.share(world.last_year.end.year)
    if viewer == LEADER_REVOKED:
        world.revoke()
    return {
        STUDENT: world.student,
        LEADER: world.leader,
        LEADER_OTHER_YEAR: world.leader,
        LEADER_REVOKED: world.leader,
        OTHER_LEADER: world.other_leader,
        OTHER_PRACTITIONER: world.other_practitioner,
        ANONYMOUS: None,
    }[viewer]


def rows() -> dict[str, list]:
    """Every row a view here could change, to prove a refused request changed nothing."""
    models = [
        Programme,
        Cohort,
        Invitation,
        Membership,
        Submission,
        Snapshot,
        Comment,
        AuditEvent,
        SignOff,
        Notification,
    ]
    state = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    state["leaders"] = list(Programme.leaders.through.objects.order_by("pk").values())
    return state


@dataclass(frozen=True)
class Call:
    name: str
    method: str = "get"
    args: Callable[[World], list] = lambda w: []
    data: Callable[[World], dict] = lambda w: {}

    def send(self, client, world: World):
        url = reverse(f"programmes:{self.name}", args=self.args(world))
        return getattr(client, self.method)(url, self.data(world))

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def submission_pk(w: World) -> list:
    return [w.submission.pk]


def membership_pk(w: World) -> list:
    return [w.membership.pk]


def programme_pk(w: World) -> list:
    return [w.programme.pk]


def cohort_pk(w: World) -> list:
    return [w.cohort.pk]


def first_comment(w: World) -> list:
    return [w.submission.pk, Comment.objects.filter(snapshot__submission=w.submission).first().pk]


def sign_off_data(w: World) -> dict:
    return {
        "name": "Dr Sam Patel",
        "role": "Programme leader",
        "signed_on": w.today.isoformat(),
        "statement": "A thoughtful year of learning.",
        "confirmed": "on",
    }


# --- Pages that read a student's data ----------------------------------------------------------

SUBMISSION_PAGE = Call("submission_detail", args=submission_pk)
OVERVIEW = Call("cohort_overview", args=cohort_pk)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_shared_portfolio_shows_the_consented_year_to_the_programmes_leader_only(
    viewer, world, client_for
):
    client = client_for(viewer_for(world, viewer))

    this_year = client.get(
        reverse("programmes:shared_portfolio", args=[world.student.pk])
        + f"?year={world.this_year.slug}"
    )
    last_year = client.get(
        reverse("programmes:shared_portfolio", args=[world.student.pk])
        + f"?year={world.last_year.slug}"
    )

    expected = {
        LEADER: (200, 200),
        LEADER_OTHER_YEAR: (404, 200),
        ANONYMOUS: (302, 302),
    }.get(viewer, (404, 404))
    assert (this_year.status_code, last_year.status_code) == expected
    this_content, last_content = this_year.content.decode(), last_year.content.decode()
    assert (THIS_YEAR_TITLE in this_content) == (viewer == LEADER)
    assert (LAST_YEAR_TITLE in last_content) == (viewer in {LEADER, LEADER_OTHER_YEAR})
    for content in (this_content, last_content):
        assert DRAFT_TITLE not in content
        assert OTHER_TITLE not in content
        assert (THIS_YEAR_TITLE in content) <= (content is this_content)
    if viewer == ANONYMOUS:
        assert this_year["Location"].startswith(reverse("account_login"))


def test_a_leader_sees_the_shared_year_by_default(world, client_for):
    world.share(world.last_year.end.year)

    response = client_for(world.leader).get(
        reverse("programmes:shared_portfolio", args=[world.student.pk])
    )

    assert response.status_code == 200
    assert response.context["year"] == world.last_year
    assert [e.title for e in response.context["entries"]] == [LAST_YEAR_TITLE]
    assert response.context["submissions"] == []  # the one submission is of this year


@pytest.mark.parametrize("viewer", VIEWERS)
def test_submission_page_is_for_the_student_and_consented_leaders(viewer, world, client_for):
    response = SUBMISSION_PAGE.send(client_for(viewer_for(world, viewer)), world)

    expected = {STUDENT: 200, LEADER: 200, ANONYMOUS: 302}.get(viewer, 404)
    assert response.status_code == expected
    content = response.content.decode()
    assert (THIS_YEAR_TITLE in content) == (expected == 200)
    assert LAST_YEAR_TITLE not in content  # another year: not part of this submission
    assert DRAFT_TITLE not in content
    if expected == 200:
        access = response.context["access"]
        assert access.as_student == (viewer == STUDENT)
        assert access.can_decide == (viewer == LEADER)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_cohort_overview_lists_only_students_who_share_the_year(viewer, world, client_for):
    response = OVERVIEW.send(client_for(viewer_for(world, viewer)), world)

    expected = 200 if viewer in LEADERS_OF_THE_PROGRAMME else 302 if viewer == ANONYMOUS else 404
    assert response.status_code == expected
    if expected != 200:
        assert world.student.display_name not in response.content.decode()
        return
    rows_shown = {row.student.pk: row for row in response.context["overview"].rows}
    if viewer == LEADER_REVOKED:
        assert rows_shown == {}
        assert world.student.display_name not in response.content.decode()
    else:
        row = rows_shown[world.student.pk]
        assert row.shares_year == (viewer == LEADER)
        assert row.entries == (2 if viewer == LEADER else 0)
        assert (row.submission is not None) == (viewer == LEADER)
    assert world.other_practitioner.pk not in rows_shown


def test_revoking_consent_hides_everything_on_the_next_request(world, client_for):
    leader = client_for(world.leader)
    student = client_for(world.student)
    pages = [
        reverse("programmes:shared_portfolio", args=[world.student.pk]),
        world.submission.get_absolute_url(),
    ]
    assert [leader.get(url).status_code for url in pages] == [200, 200]

    response = student.post(reverse("programmes:sharing_stop", args=[world.membership.pk]))

    assert response.status_code == 302
    assert [leader.get(url).status_code for url in pages] == [404, 404]
    overview = leader.get(reverse("programmes:cohort_overview", args=[world.cohort.pk]))
    assert overview.context["overview"].rows == []
    # The student still sees her own submission.
    assert student.get(world.submission.get_absolute_url()).status_code == 200


def test_sharing_again_shows_the_data_again(world, client_for):
    world.revoke()
    leader = client_for(world.leader)
    url = reverse("programmes:shared_portfolio", args=[world.student.pk])
    assert leader.get(url).status_code == 404

    client_for(world.student).post(
        reverse("programmes:sharing_change", args=[world.membership.pk]),
        {f"sharing-{world.membership.pk}-shared": "all"},
    )

    assert leader.get(url).status_code == 200


# --- Review actions -----------------------------------------------------------------------------

COMMENT = Call(
    "comment_create",
    "post",
    submission_pk,
    lambda w: {"text": "Say more about the impact on families."},
)
REQUEST_CHANGES = Call(
    "request_changes", "post", submission_pk, lambda w: {"text": "Add a peer discussion."}
)
SIGN_OFF = Call("sign_off", "post", submission_pk, sign_off_data)
REPLY = Call("reply_create", "post", first_comment, lambda w: {"text": "Thank you, I will."})
RESUBMIT = Call("resubmit", "post", submission_pk, lambda w: {"note": "Added detail."})

# What each viewer gets: 302 (done, or sent to log in), 403 (may see it, may not do this), 404.
REVIEW_CALLS = {
    COMMENT: {STUDENT: 403, LEADER: 302},
    REQUEST_CHANGES: {STUDENT: 403, LEADER: 302},
    SIGN_OFF: {STUDENT: 403, LEADER: 302},
    REPLY: {STUDENT: 302, LEADER: 302},
    RESUBMIT: {STUDENT: 302, LEADER: 403},
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("call", list(REVIEW_CALLS), ids=str)
def test_review_actions_are_for_the_right_side_only(call, viewer, world, client_for):
    if call in (REPLY, RESUBMIT):
        request_changes(
            submission_for(world.leader, world.submission.pk), world.leader, "More, please."
        )
    client = client_for(viewer_for(world, viewer))
    before = rows()

    response = call.send(client, world)

    expected = REVIEW_CALLS[call].get(viewer, 302 if viewer == ANONYMOUS else 404)
    assert response.status_code == expected
    if viewer == ANONYMOUS:
        assert response["Location"].startswith(reverse("account_login"))
    if expected == 302 and viewer != ANONYMOUS:
        assert response["Location"].startswith(world.submission.get_absolute_url())
        assert rows() != before
        assert AuditEvent.objects.filter(
            submission=world.submission, actor=viewer_for(world, viewer)
        ).exists()
    else:
        assert rows() == before


# --- Programme and cohort pages ---------------------------------------------------------------

LEADER_PAGES = {
    Call("programme_detail", args=programme_pk): 200,
    Call("cohort_create", "post", programme_pk, lambda w: {"name": "2027 intake"}): 302,
    Call("leader_add", "post", programme_pk, lambda w: {"email": w.other_leader.email}): 302,
    # Answered with the per-address report, on the overview.
    Call("invite", "post", cohort_pk, lambda w: {"emails": "new.student@example.org"}): 302,
    Call("invite", args=cohort_pk): 200,  # the invitations sent, as the overview opens them
    Call("cohort_records", args=cohort_pk): 200,
}


@pytest.mark.parametrize("viewer", [STUDENT, LEADER, OTHER_LEADER, OTHER_PRACTITIONER, ANONYMOUS])
@pytest.mark.parametrize("call", list(LEADER_PAGES), ids=str)
def test_programme_pages_are_for_its_leaders(call, viewer, world, client_for):
    client = client_for(viewer_for(world, viewer))
    before = rows()

    response = call.send(client, world)

    expected = {LEADER: LEADER_PAGES[call], ANONYMOUS: 302}.get(viewer, 404)
    assert response.status_code == expected
    if viewer == ANONYMOUS:
        assert response["Location"].startswith(reverse("account_login"))
    assert (rows() != before) == (viewer == LEADER and call.method == "post")


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [(STUDENT, 403), (OTHER_PRACTITIONER, 403), (LEADER, 200), (OTHER_LEADER, 200)],
)
def test_only_leaders_may_create_programmes(viewer, expected, world, client_for):
    client = client_for(viewer_for(world, viewer))

    form = client.get(reverse("programmes:programme_create"))
    created = client.post(reverse("programmes:programme_create"), {"name": "A new programme"})

    assert form.status_code == expected
    assert created.status_code == (302 if expected == 200 else 403)
    programme = Programme.objects.filter(name="A new programme").first()
    assert (programme is not None) == (expected == 200)
    if programme:
        assert list(programme.leaders.all()) == [viewer_for(world, viewer)]


def test_staff_may_create_programmes(world, client_for):
    from accounts.models import Role
    from tests.factories import make_user

    admin = make_user("staff@example.org", role=Role.ADMIN)

    response = client_for(admin).post(
        reverse("programmes:programme_create"), {"name": "Staff-made programme"}
    )

    assert response.status_code == 302
    assert list(Programme.objects.get(name="Staff-made programme").leaders.all()) == [admin]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_programmes_page_lists_only_what_the_viewer_leads_or_studies(viewer, world, client_for):
    user = viewer_for(world, viewer)

    response = client_for(user).get(reverse("programmes:home"))

    if viewer == ANONYMOUS:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    led = list(response.context["led_programmes"])
    memberships = [m for m, _, _ in response.context["memberships"]]
    expected_led = {
        OTHER_LEADER: [world.other_programme],
        STUDENT: [],
        OTHER_PRACTITIONER: [],
    }.get(viewer, [world.programme])
    assert led == expected_led
    assert all(m.student == user for m in memberships)
    assert len(memberships) == (1 if viewer in {STUDENT, OTHER_PRACTITIONER} else 0)


# --- The student's own consent and submissions -------------------------------------------------

STUDENT_CALLS = [
    Call(
        "sharing_change",
        "post",
        membership_pk,
        lambda w: {f"sharing-{w.membership.pk}-shared": str(w.last_year.end.year)},
    ),
    Call("sharing_stop", "post", membership_pk),
    Call(
        "submit",
        "post",
        membership_pk,
        lambda w: {f"submit-{w.membership.pk}-year": str(w.last_year.end.year)},
    ),
]


@pytest.mark.parametrize("viewer", [STUDENT, LEADER, OTHER_LEADER, OTHER_PRACTITIONER, ANONYMOUS])
@pytest.mark.parametrize("call", STUDENT_CALLS, ids=str)
def test_only_the_student_changes_her_consent_and_submits(call, viewer, world, client_for):
    client = client_for(viewer_for(world, viewer))
    before = rows()

    response = call.send(client, world)

    expected = {STUDENT: 302, ANONYMOUS: 302}.get(viewer, 404)
    assert response.status_code == expected
    assert (rows() != before) == (viewer == STUDENT)


# invite also answers a GET, with the invitations sent; test_programme_pages_are_for_its_leaders
# shows that it changes nothing.
LISTS_TOO = {call.name for call in LEADER_PAGES if call.method == "get"}
ACTIONS = [
    *(
        call.name
        for call in STUDENT_CALLS + list(LEADER_PAGES)
        if call.method == "post" and call.name not in LISTS_TOO
    ),
    *(call.name for call in REVIEW_CALLS),
]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_refuse_get(name, world, client_for):
    """Nothing changes on a GET: every action answers 405 before it looks anything up."""
    args = [1, 1] if name == "reply_create" else [1]

    response = client_for(world.student).get(reverse(f"programmes:{name}", args=args))

    assert response.status_code == 405
