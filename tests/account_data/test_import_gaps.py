"""What the portal an export arrives on lacks (a framework's capability, a library resource)
is left out and said so, and a file never makes anyone an administrator."""

from __future__ import annotations

import io

import pytest

from account_data.importing import import_account_export
from accounts.models import Role
from portfolio.models import Entry

from .conftest import rewritten

pytestmark = pytest.mark.django_db


def test_what_this_portal_lacks_is_left_out_and_said_so(exported):
    def elsewhere(document: dict) -> None:
        document["profile"]["role"] = "admin"
        document["entries"][0]["capabilities"] = [
            {"framework": "employer", "code": "EMP1", "name": "Our own standard"}
        ]
        document["entries"][0]["resource"] = {
            "url": "https://elsewhere.example/post",
            "title": "A post in the other library",
        }
        document["reading_list"] = [
            {"resource": document["entries"][0]["resource"], "saved_at": document["exported_at"]}
        ]

    result = import_account_export(
        io.BytesIO(rewritten(exported, elsewhere)), email="n@example.org"
    )

    assert result.user.role == Role.PRACTITIONER
    assert result.entries == 2
    entry = Entry.objects.for_user(result.user).order_by("created_at").first()
    assert (entry.resource, list(entry.capabilities.all())) == (None, [])
    assert result.notes == [
        "The account was an administrator's there; here it is a practitioner's.",
        "The entry 'A webinar on the Care Act': this portal's library has no "
        "'A post in the other library' (https://elsewhere.example/post).",
        "This portal has no capability EMP1 of the framework employer: entries mapped to it "
        "are imported without it.",
        "Your reading list: this portal's library has no 'A post in the other library' "
        "(https://elsewhere.example/post).",
    ]
