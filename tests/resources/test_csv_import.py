"""Bulk import from CSV: a preview with per-row errors, then all rows or none."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import Capability, Platform
from resources import csv_import
from resources.csv_import import check_rows, import_rows
from resources.curation_views import IMPORT_SESSION_KEY
from resources.models import Resource, ResourceKind, ResourceTag
from tests.resources.factories import make_resource

IMPORT = reverse("resources:curation_import")
CONFIRM = reverse("resources:curation_import_confirm")

GOOD_CSV = """title,url,kind,summary,source,platform,hashtag,capabilities,topics
BASW: CPD,https://www.basw.co.uk/cpd,policy,"Shared, says BASW.",BASW,,,PCF1 swe4,cpd; Regulation
#lgovsm chat,https://x.com/hashtag/lgovsm,Hashtag or chat,,,X/Twitter,#lgovsm,PCF8,social media
Knowledge Hub,https://khub.net/,community,,,,,,
"""
BAD_CSV = """title,url,kind,capabilities
Good row,https://example.org/good,blog,
Script link,javascript:alert(1),blog,
Data link,"data:text/html,<script>alert(1)</script>",blog,
,https://example.org/untitled,blog,
Odd kind,https://example.org/odd,pamphlet,
Odd code,https://example.org/code,blog,PCF99
Repeat,https://example.org/good,blog,
Already here,https://example.org/existing,blog,
"""


def upload(text: str, name: str = "resources.csv", encoding: str = "utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_a_good_file_is_previewed_then_imported_on_confirmation(admin, client_for):
    client = client_for(admin)

    preview = client.post(IMPORT, {"file": upload(GOOD_CSV)})

    assert not Resource.objects.exists(), "a preview saves nothing"
    rows = preview.context["rows"]
    assert [(r.line, r.title, r.errors) for r in rows] == [
        (2, "BASW: CPD", []),
        (3, "#lgovsm chat", []),
        (4, "Knowledge Hub", []),
    ]
    assert "Import 3 resources" in preview.content.decode()

    done = client.post(CONFIRM)

    assert done.status_code == 302
    basw = Resource.objects.get(url="https://www.basw.co.uk/cpd")
    assert (basw.kind, basw.source) == ("policy", "BASW")
    assert {c.code for c in basw.capabilities.all()} == {"PCF1", "SWE4"}
    assert {t.name for t in basw.tags.all()} == {"cpd", "Regulation"}
    chat = Resource.objects.get(url="https://x.com/hashtag/lgovsm")
    assert (chat.kind, chat.platform, chat.hashtag) == ("hashtag", "x", "lgovsm")
    assert Resource.objects.count() == 3
    assert client.post(CONFIRM).status_code == 302  # nothing waiting: imports nothing again
    assert Resource.objects.count() == 3


def test_bad_rows_are_each_explained_and_nothing_can_be_imported(admin, client_for):
    make_resource(url="https://example.org/existing")
    client = client_for(admin)

    preview = client.post(IMPORT, {"file": upload(BAD_CSV)})

    errors = {row.line: row.errors for row in preview.context["rows"]}
    assert errors[2] == []
    not_web = "enter a web address that starts with http:// or https://."
    assert errors[3] == [f"Line 3, column “url”: {not_web}"]
    assert errors[4] == [f"Line 4, column “url”: {not_web}"]
    assert errors[5] == ["Line 5, column “title”: this field is required."]
    # A column of fixed choices lists every value it takes, as it may be written.
    kind_error = errors[6]
    assert len(kind_error) == 1
    assert kind_error[0].startswith(
        "Line 6, column “kind”: “pamphlet” is not one of the allowed values. Use one of: "
        "blog, article (Journal article or report), policy (Policy and guidance),"
    )
    for value, label in ResourceKind.choices:
        assert value in kind_error[0] and label.lower() in kind_error[0].lower()
    assert errors[7] == [
        "Line 7, column “capabilities”: no capability has the code PCF99. The codes are: "
        + ", ".join(c.code.upper() for c in Capability.objects.all())
        + "."
    ]
    assert errors[8] == ["Line 8, column “url”: the same link as line 2."]
    assert errors[9] == ["Line 9, column “url”: this link is already in the library."]
    content = preview.content.decode()
    assert "Nothing has been imported." in content
    assert 'action="/curation/resources/import/confirm/"' not in content

    client.post(CONFIRM)  # even if someone posts the confirmation anyway

    assert list(Resource.objects.values_list("url", flat=True)) == ["https://example.org/existing"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title,summary\nA,B\n", "The file has no url, kind columns."),
        ("name,url,kind\nA,https://example.org/a,blog\n", "The file has no title column."),
        ("", "The submitted file is empty."),
        ("\n", "The file has no title, url, kind columns."),
        (
            "title,url,kind,sumary\nA,https://example.org/a,blog,x\n",
            "Unknown column: sumary.",
        ),
        ("title,url,kind\n", "The file has a header line but no resources under it."),
    ],
)
def test_a_file_with_wrong_columns_is_refused_with_a_clear_message(
    text, message, admin, client_for
):
    client = client_for(admin)

    response = client.post(IMPORT, {"file": upload(text)})

    errors = response.context["form"].errors["file"]
    assert errors[0].startswith(message)
    assert response.context["rows"] is None
    assert IMPORT_SESSION_KEY not in client.session
    assert not Resource.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(admin, client_for):
    response = client_for(admin).post(
        IMPORT,
        {"file": upload("title,url,kind\nCafé,https://example.org/c,blog\n", encoding="cp1252")},
    )

    assert response.context["form"].errors["file"] == [
        "The file is not UTF-8 text: save it as “CSV UTF-8”."
    ]


def test_a_row_that_fails_while_saving_leaves_nothing_half_imported(db, monkeypatch):
    rows = check_rows(
        [
            {"title": "One", "url": "https://example.org/1", "kind": "blog", "topics": "new topic"},
            {"title": "Two", "url": "https://example.org/2", "kind": "blog"},
        ]
    )
    real_save = csv_import.save_resource
    calls = []

    def failing_second_save(resource, **kwargs):
        calls.append(resource.title)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_save(resource, **kwargs)

    monkeypatch.setattr(csv_import, "save_resource", failing_second_save)

    with pytest.raises(RuntimeError):
        import_rows(rows)

    assert calls == ["One", "Two"]
    assert not Resource.objects.exists()
    assert not ResourceTag.objects.exists()


def test_the_library_changing_between_preview_and_confirm_is_caught(admin, client_for):
    client = client_for(admin)
    client.post(IMPORT, {"file": upload(GOOD_CSV)})
    make_resource(url="https://khub.net/")  # another curator added one meanwhile

    response = client.post(CONFIRM)

    assert response.status_code == 200
    errors = {row.line: row.errors for row in response.context["rows"]}
    assert errors[4] == ["Line 4, column “url”: this link is already in the library."]
    assert Resource.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "column", "choices"),
    [
        ("Odd,https://example.org/odd,Video,", "kind", ResourceKind.choices),
        ("Odd,https://example.org/odd,blog,Myspace", "platform", Platform.choices),
    ],
)
def test_a_bad_choice_names_its_line_and_column_and_lists_the_allowed_values(
    db, row, column, choices
):
    [checked] = check_rows(
        csv_import.read_resource_csv(upload(f"title,url,kind,platform\n{row}\n"))
    )

    [error] = checked.errors
    assert error.startswith(f"Line 2, column “{column}”: ")
    assert "is not one of the allowed values. Use one of: " in error
    allowed = error.split("Use one of: ", 1)[1]
    assert all(value in allowed and label.lower() in allowed.lower() for value, label in choices)


def test_a_missing_kind_lists_the_kinds(db):
    [checked] = check_rows([{"title": "No kind", "url": "https://example.org/x", "kind": ""}])

    assert checked.errors == [
        "Line 2, column “kind”: every resource needs a kind. Use one of: "
        + csv_import.allowed_values("kind")
        + "."
    ]


def test_the_preview_shows_the_allowed_kinds(admin, client_for):
    preview = client_for(admin).post(
        IMPORT, {"file": upload("title,url,kind\nOdd,https://example.org/odd,pamphlet\n")}
    )

    content = preview.content.decode()
    assert "column “kind”: “pamphlet” is not one of the allowed values" in content
    assert "hashtag (Hashtag or chat)" in content
