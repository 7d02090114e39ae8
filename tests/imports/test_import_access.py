"""Who may open what: every import view as the owner, another practitioner, a programme leader
(imports are never shared, so just another user) and an anonymous visitor. Nobody but the
owner learns an import exists, or changes anything by trying."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from imports.models import ImportBatch, StagedEntry
from portfolio.models import Entry
from tests.imports.staged import proposal, staged_batch

NOT_OWNERS = ["other_practitioner", "programme_leader"]


@pytest.fixture
def batch(practitioner) -> ImportBatch:
    return staged_batch(practitioner, [proposal(1), proposal(2)])


@dataclass(frozen=True)
class Call:
    name: str
    method: str = "get"
    data: dict | None = None
    with_entry: bool = False

    def url(self, batch: ImportBatch) -> str:
        args = [batch.pk] + ([batch.entries.first().pk] if self.with_entry else [])
        return reverse(self.name, args=args)

    def send(self, client, batch: ImportBatch):
        return getattr(client, self.method)(self.url(batch), self.data or {})

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


EDITED = {"title": "Changed by request", "activity_type": "reading", "occurred_on": "2026-03-09"}
CALLS = [
    Call("imports:detail"),
    Call("imports:status"),
    Call("imports:choices", "post", {"select": "none"}),
    Call("imports:entry_edit", with_entry=True),
    Call("imports:entry_edit", "post", EDITED, with_entry=True),
    Call("imports:confirm", "post"),
    Call("imports:discard", "post"),
]


def snapshot() -> dict:
    return {
        "batches": list(ImportBatch.objects.order_by("pk").values()),
        "staged": list(StagedEntry.objects.order_by("pk").values()),
        "entries": Entry.objects.count(),
    }


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_the_owner_is_served(call, batch, practitioner, client_for):
    response = call.send(client_for(practitioner), batch)

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "/accounts/login/" not in response["Location"]


@pytest.mark.parametrize("user", NOT_OWNERS)
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_anyone_else_finds_nothing_and_changes_nothing(call, user, batch, client_for, request):
    before = snapshot()

    response = call.send(client_for(request.getfixturevalue(user)), batch)

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("user", NOT_OWNERS)
def test_anyone_else_sees_only_their_own_imports(user, batch, client_for, request):
    response = client_for(request.getfixturevalue(user)).get(reverse("imports:list"))

    assert response.status_code == 200
    assert batch.get_absolute_url() not in response.content.decode()


def test_the_owner_sees_her_imports(batch, practitioner, client_for):
    response = client_for(practitioner).get(reverse("imports:list"))

    assert batch.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    "call",
    [Call("imports:list"), Call("imports:list", "post"), *CALLS],
    ids=str,
)
def test_anonymous_visitors_are_sent_to_log_in(call, batch, client_for):
    before = snapshot()

    url = call.url(batch) if call.name != "imports:list" else reverse(call.name)
    response = getattr(client_for(None), call.method)(url, call.data or {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


def test_an_entry_of_another_import_is_not_found_through_mine(
    batch, other_practitioner, client_for
):
    theirs = staged_batch(other_practitioner, [proposal(9)])
    mine = client_for(batch.owner)

    response = mine.get(reverse("imports:entry_edit", args=[batch.pk, theirs.entries.get().pk]))

    assert response.status_code == 404
