"""Who may open what: every view of the portfolio and accounts apps, as the owner of the data,
as another practitioner, as a programme leader (no sharing exists yet, so a leader is just
another user) and as an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.cpd_year import cpd_year_containing
from portfolio.entries import save_entry
from portfolio.models import ActivityType, Capability, Entry, Evidence, Status, Tag
from tests.factories import make_entry

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OWNER_TITLE = "Draft on strengths-based assessments"
OWNER_TAG = "owner-only-tag"
EVIDENCE_NAME = "Certificate of attendance.pdf"
# No quotes or ampersands in these: HTML escaping would hide them from a "not in" check.
OTHER_TITLE = "Jo Other reflects on a live chat"
OTHER_TAG = "jo-only-tag"
VIEWERS = ["practitioner", "other_practitioner", "programme_leader"]
NOT_OWNERS = ["other_practitioner", "programme_leader"]


def pdf(name: str = EVIDENCE_NAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def entry_with_evidence(owner: User, title: str, tag: str, capabilities=()) -> Entry:
    """A draft (drafts are listed by title on the dashboard) saved the way the app saves one."""
    return save_entry(
        Entry(
            title=title,
            activity_type=ActivityType.WEBINAR,
            occurred_on=timezone.localdate(),
            status=Status.DRAFT,
        ),
        owner=owner,
        capabilities=capabilities,
        tag_names=[tag],
        new_files=[pdf()],
    )


@dataclass
class Owned:
    entry: Entry
    evidence: Evidence
    complete: Entry
    capability: Capability


@pytest.fixture
def owned(practitioner) -> Owned:
    """The practitioner's data: a draft with a tag and a stored PDF, and a complete entry in
    the current CPD year mapped to a capability (so the dashboard aggregates something)."""
    capability = Capability.objects.order_by("pk").first()
    assert capability is not None, "the frameworks migration seeds capabilities"
    entry = entry_with_evidence(practitioner, OWNER_TITLE, OWNER_TAG, [capability])
    complete = make_entry(
        practitioner,
        title="Complete entry on the Mental Capacity Act",
        occurred_on=timezone.localdate(),
        capabilities=[capability],
    )
    return Owned(entry, entry.evidence.get(), complete, capability)


@pytest.fixture
def others_entry(other_practitioner) -> Entry:
    return entry_with_evidence(other_practitioner, OTHER_TITLE, OTHER_TAG)


def snapshot() -> dict[str, list[dict]]:
    """Every row a view here could change, to prove a refused request changed nothing."""
    return {
        "entries": list(Entry.objects.order_by("pk").values()),
        "evidence": list(Evidence.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "links": list(Entry.tags.through.objects.order_by("pk").values())
        + list(Entry.capabilities.through.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
    }


def entry_form(title: str, **extra) -> dict:
    return {
        "title": title,
        "activity_type": ActivityType.BLOG_READ,
        "occurred_on": timezone.localdate().isoformat(),
        "tag_names": "changed",
        "action": "draft",
        **extra,
    }


@dataclass(frozen=True)
class Call:
    """One request to one view: its URL name, method, the object in the URL and the data."""

    name: str
    method: str = "get"
    target: str | None = None  # "activity" or "evidence": an attribute of Owned
    data: dict | None = None
    field: str | None = None  # a text field named in the URL

    def url(self, owned: Owned) -> str:
        args = [getattr(owned, self.target).pk] if self.target else []
        args += [self.field] if self.field else []
        return reverse(self.name, args=args)

    def send(self, client, owned: Owned):
        return getattr(client, self.method)(self.url(owned), self.data or {})

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


DASHBOARD = Call("portfolio:dashboard")
LOG = Call("portfolio:entry_list")
CREATE_FORM = Call("portfolio:entry_create")
CREATE = Call("portfolio:entry_create", "post", data=entry_form("Created by this request"))
CHECK = Call(
    "portfolio:confidentiality_check",
    "post",
    data={"what_happened": "Her NHS number is 943 476 5919."},
)
CHECK_FIELD = Call(
    "portfolio:confidentiality_check_field",
    "post",
    data={"what_happened": "Met Mrs Jones at 14 Acacia Road."},
    field="what_happened",
)
PROFILE = Call("accounts:profile")
PROFILE_SAVE = Call("accounts:profile", "post", data={"display_name": "Renamed by this request"})
DETAIL = Call("portfolio:entry_detail", target="entry")
EDIT_FORM = Call("portfolio:entry_edit", target="entry")
EDIT = Call("portfolio:entry_edit", "post", "entry", entry_form("Changed by this request"))
DELETE_FORM = Call("portfolio:entry_delete", target="entry")
DELETE = Call("portfolio:entry_delete", "post", "entry")
DOWNLOAD = Call("portfolio:evidence_download", target="evidence")

OBJECT_CALLS = [DETAIL, EDIT_FORM, EDIT, DELETE_FORM, DELETE, DOWNLOAD]
USER_CALLS = [DASHBOARD, LOG, CREATE_FORM, CREATE, CHECK, CHECK_FIELD, PROFILE, PROFILE_SAVE]


# --- Anonymous visitors --------------------------------------------------------------------


@pytest.mark.parametrize("call", USER_CALLS + OBJECT_CALLS, ids=str)
def test_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(call, owned, client_for):
    client = client_for(None)
    before = snapshot()

    response = call.send(client, owned)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


# --- Someone else's entry ------------------------------------------------------------------


@pytest.mark.parametrize("viewer", NOT_OWNERS)
@pytest.mark.parametrize("call", OBJECT_CALLS, ids=str)
def test_someone_elses_entry_is_not_found_and_not_changed(call, viewer, owned, client_for, request):
    client = client_for(request.getfixturevalue(viewer))
    before = snapshot()

    response = call.send(client, owned)

    assert response.status_code == 404
    assert OWNER_TITLE not in response.content.decode()
    assert snapshot() == before
    assert default_storage.exists(owned.evidence.file.name)


# --- The owner -----------------------------------------------------------------------------


@pytest.mark.parametrize("call", [DETAIL, EDIT_FORM, DELETE_FORM], ids=str)
def test_owner_opens_their_entry(call, owned, practitioner, client_for):
    response = call.send(client_for(practitioner), owned)

    assert response.status_code == 200
    content = response.content.decode()
    assert OWNER_TITLE in content
    assert response.context["entry"] == owned.entry


def test_owner_sees_tags_and_evidence_on_their_entry(owned, practitioner, client_for):
    content = DETAIL.send(client_for(practitioner), owned).content.decode()

    assert OWNER_TAG in content
    assert EVIDENCE_NAME in content
    assert owned.evidence.get_absolute_url() in content


def test_owner_edits_their_entry(owned, practitioner, client_for):
    response = EDIT.send(client_for(practitioner), owned)

    assert response.status_code == 302
    assert response["Location"] == owned.entry.get_absolute_url()
    owned.entry.refresh_from_db()
    assert owned.entry.title == "Changed by this request"
    assert [t.name for t in owned.entry.tags.all()] == ["changed"]


def test_owner_deletes_their_entry_and_its_files(
    owned, practitioner, client_for, django_capture_on_commit_callbacks
):
    stored = owned.evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = DELETE.send(client_for(practitioner), owned)

    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:entry_list")
    assert not Entry.objects.filter(pk=owned.entry.pk).exists()
    assert not Evidence.objects.filter(pk=owned.evidence.pk).exists()
    assert not default_storage.exists(stored)
    assert Entry.objects.filter(pk=owned.complete.pk).exists()


# --- Pages about the signed-in user's own data ----------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(
    ("call", "lists_entries"),
    [
        pytest.param(call, lists_entries, id=str(call))
        for call, lists_entries in [
            (DASHBOARD, True),
            (LOG, True),
            (CREATE_FORM, False),
            (PROFILE, False),
        ]
    ],
)
def test_signed_in_pages_show_the_owners_entry_only_to_the_owner(
    call, lists_entries, viewer, owned, client_for, request
):
    user = request.getfixturevalue(viewer)

    response = call.send(client_for(user), owned)

    assert response.status_code == 200
    content = response.content.decode()
    assert (OWNER_TITLE in content) == (lists_entries and user == owned.entry.owner)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_dashboard_counts_only_the_viewers_entries(viewer, owned, client_for, request):
    user = request.getfixturevalue(viewer)
    is_owner = user == owned.entry.owner

    dashboard = DASHBOARD.send(client_for(user), owned).context["dashboard"]

    assert dashboard.complete_count == (1 if is_owner else 0)
    assert dashboard.year_drafts.count == (1 if is_owner else 0)
    assert [d.pk for d in dashboard.drafts] == ([owned.entry.pk] if is_owner else [])
    entries = {
        item.capability.pk: item.entries
        for framework in dashboard.coverage
        for item in framework.capabilities
    }
    assert entries[owned.capability.pk] == (1 if is_owner else 0)
    assert sum(entries.values()) == (1 if is_owner else 0)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_profile_shows_and_saves_only_the_viewers_own_profile(viewer, owned, client_for, request):
    user = request.getfixturevalue(viewer)
    client = client_for(user)
    others = {u.pk: u.display_name for u in User.objects.exclude(pk=user.pk)}

    form = PROFILE.send(client, owned).context["form"]
    response = PROFILE_SAVE.send(client, owned)

    assert form.instance == user
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:dashboard")
    user.refresh_from_db()
    assert user.display_name == "Renamed by this request"
    assert {u.pk: u.display_name for u in User.objects.exclude(pk=user.pk)} == others


@pytest.mark.parametrize("viewer", VIEWERS)
def test_creating_an_entry_makes_it_the_creators_own(viewer, owned, client_for, request):
    user = request.getfixturevalue(viewer)
    owner = owned.entry.owner
    owners_entries = set(Entry.objects.for_user(owner).values_list("pk", flat=True))

    response = CREATE.send(client_for(user), owned)

    created = Entry.objects.get(title="Created by this request")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.owner == user
    assert [t.owner for t in created.tags.all()] == [user]
    expected = owners_entries | ({created.pk} if user == owner else set())
    assert set(Entry.objects.for_user(owner).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_confidentiality_check_works_for_any_signed_in_user(viewer, owned, client_for, request):
    client = client_for(request.getfixturevalue(viewer))

    response = CHECK.send(client, owned)

    assert response.status_code == 200
    assert "NHS number" in response.content.decode()
    assert client.get(CHECK.url(owned)).status_code == 405


@pytest.mark.parametrize("viewer", VIEWERS)
def test_field_confidentiality_check_works_for_any_signed_in_user(
    viewer, owned, client_for, request
):
    client = client_for(request.getfixturevalue(viewer))

    response = CHECK_FIELD.send(client, owned)

    assert response.status_code == 200
    assert "Name with a title “Mrs Jones”" in response.content.decode()
    assert client.get(CHECK_FIELD.url(owned)).status_code == 405


# --- The log and its filters ---------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=draft",
        "?status=complete",
        "?q=reflects",
        "?q=Jo",
        "?q=live+chat",
        "?activity_type=webinar",
        f"?year={cpd_year_containing(timezone.localdate()).slug}",
        "?page=2",
    ],
)
def test_log_never_lists_another_users_entry(query, owned, others_entry, practitioner, client_for):
    make_entry(practitioner, title="Alex reflects on a live chat", what_happened="Jo said so.")

    response = client_for(practitioner).get(reverse("portfolio:entry_list") + query)

    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert listed, "each query matches at least one of the practitioner's own entries"
    assert {a.owner_id for a in listed} == {practitioner.pk}
    content = response.content.decode()
    assert OTHER_TITLE not in content
    assert OTHER_TAG not in content


@pytest.mark.parametrize("tag", ["other", "missing", "not-a-number"])
def test_log_tag_filter_rejects_a_tag_that_is_not_the_users(
    tag, owned, others_entry, practitioner, client_for
):
    other_tag = others_entry.tags.get()
    value = {"other": other_tag.pk, "missing": other_tag.pk + 1000, "not-a-number": "x"}[tag]

    response = client_for(practitioner).get(reverse("portfolio:entry_list"), {"tag": value})

    assert response.status_code == 200
    assert "tag" in response.context["form"].errors
    # An invalid filter is left out, so the practitioner still sees all of their own entries.
    listed = {a.pk for a in response.context["page"].object_list}
    assert listed == {owned.entry.pk, owned.complete.pk}
    content = response.content.decode()
    assert OTHER_TAG not in content
    assert OTHER_TITLE not in content


def test_log_tag_filter_accepts_the_users_own_tag(owned, others_entry, practitioner, client_for):
    own_tag = owned.entry.tags.get()

    response = client_for(practitioner).get(reverse("portfolio:entry_list"), {"tag": own_tag.pk})

    assert response.context["form"].errors == {}
    assert [a.pk for a in response.context["page"].object_list] == [owned.entry.pk]


def test_edit_cannot_remove_another_users_evidence(owned, others_entry, practitioner, client_for):
    others_evidence = others_entry.evidence.get()
    client = client_for(practitioner)
    before = snapshot()
    data = entry_form("Changed by this request", remove_evidence=[others_evidence.pk])

    response = client.post(EDIT.url(owned), data)

    assert response.status_code == 200
    assert "remove_evidence" in response.context["form"].errors
    assert snapshot() == before
    assert default_storage.exists(others_evidence.file.name)


# --- Evidence files ------------------------------------------------------------------------


def test_evidence_downloads_as_a_private_attachment(owned, practitioner, client_for):
    response = DOWNLOAD.send(client_for(practitioner), owned)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{EVIDENCE_NAME}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("viewer", ["practitioner", None])
@pytest.mark.parametrize("prefix", ["/media/", "/static/", "/"])
def test_evidence_file_is_not_served_from_any_static_or_media_url(
    prefix, viewer, owned, client_for, request
):
    stored = owned.evidence.file.name
    assert default_storage.exists(stored)
    client = client_for(request.getfixturevalue(viewer) if viewer else None)

    response = client.get(prefix + stored)

    assert response.status_code == 404
    assert PDF_BYTES not in response.content
