"""A ZIP that is not an account export, or one changed after it was made, is refused with a
message that says what is wrong, and leaves nothing behind: no account, no row, no file."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from account_data.importing import ImportRefused, import_account_export
from accounts.models import User
from portfolio.models import Entry, Evidence
from summaries.models import ReflectiveSummary

from .conftest import PNG_BYTES, rewritten

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "someone.new@example.org"


def first_file(archive: bytes, entry: int = 0) -> str:
    document = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("account.json"))
    return document["entries"][entry]["evidence"][0]["path"]


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def set_in(path: list, value) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def duplicate_summary(document: dict) -> None:
    document["summaries"].append(dict(document["summaries"][0]))


CASES = {
    "not a zip": (lambda e: b"PK but not really a ZIP", "That is not a ZIP file."),
    "no account.json": (
        lambda e: rewritten(e, files={"account.json": None}),
        "The ZIP has no account.json.",
    ),
    "not JSON": (
        lambda e: rewritten(e, files={"account.json": b"{not json"}),
        "account.json is not valid JSON",
    ),
    "another format": (
        lambda e: rewritten(e, set_in(["format"], "someone-elses-export")),
        "account.json is not a CPD Portal account export.",
    ),
    "a newer version": (
        lambda e: rewritten(e, set_in(["version"], 2)),
        "This export is in version 2 of the format; this portal reads version 1.",
    ),
    "outside the schema": (
        lambda e: rewritten(e, set_in(["entries", 1, "activity_type"], "hacking")),
        "account.json does not match the account export schema at entries/1/activity_type: "
        "'hacking' is not one of",
    ),
    "a missing key": (
        lambda e: rewritten(e, lambda d: d["profile"].pop("time_zone")),
        "account.json does not match the account export schema at profile: "
        "'time_zone' is a required property",
    ),
    "a file changed": (
        lambda e: rewritten(e, files={first_file(e, 1): PNG_BYTES + b"changed"}),
        "is not the file account.json describes (its SHA-256 or size differs): the ZIP was "
        "changed or damaged after it was exported.",
    ),
    "a file missing": (
        lambda e: rewritten(e, files={first_file(e, 1): None}),
        "The ZIP has no evidence/",
    ),
    "a file of a type not kept": (
        lambda e: rewritten(e, set_in(["entries", 1, "evidence", 0, "original_name"], "run.exe")),
        "run.exe is not a file type we keep.",
    ),
    "a file whose content is not what its name says": (
        lambda e: rewritten(e, set_in(["entries", 1, "evidence", 0, "original_name"], "c.pdf")),
        "c.pdf is named as a PDF but its content looks like a .png file.",
    ),
    "a complete entry without its reflection": (
        lambda e: rewritten(e, set_in(["entries", 1, "impact"], " ")),
        "A complete entry needs the three parts of its reflection and the time spent",
    ),
    "a time zone that is none": (
        lambda e: rewritten(e, set_in(["profile", "time_zone"], "Mars/Olympus_Mons")),
        "The profile: Value 'Mars/Olympus_Mons' is not a valid choice.",
    ),
    "two summaries from the same inputs": (
        lambda e: rewritten(e, duplicate_summary),
        "The summary of 2025-12-01 to 2026-11-30: Reflective summary with this Owner and Input "
        "hash already exists.",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_or_tampered_export_is_refused_and_creates_nothing(case, exported, private_media):
    damage, message = CASES[case]
    archive = damage(exported)
    before = (User.objects.count(), Entry.objects.count(), Evidence.objects.count())
    summaries = ReflectiveSummary.objects.count()
    files = stored_files(private_media)

    with pytest.raises(ImportRefused) as refused:
        import_account_export(io.BytesIO(archive), email=NEW_ADDRESS)

    assert message in str(refused.value)
    assert (User.objects.count(), Entry.objects.count(), Evidence.objects.count()) == before
    assert ReflectiveSummary.objects.count() == summaries
    assert stored_files(private_media) == files


def test_a_file_over_the_evidence_limit_is_refused(exported, settings, private_media):
    settings.EVIDENCE_MAX_BYTES = 40
    files = stored_files(private_media)

    with pytest.raises(ImportRefused, match="the limit is 40"):
        import_account_export(io.BytesIO(exported), email=NEW_ADDRESS)

    assert not User.objects.filter(email=NEW_ADDRESS).exists()
    assert stored_files(private_media) == files


def test_an_existing_account_is_never_imported_over(exported, practitioner):
    entries = Entry.objects.count()

    with pytest.raises(ImportRefused, match=r"An account with the address alex@example\.org"):
        import_account_export(io.BytesIO(exported))
    with pytest.raises(ImportRefused, match="already exists"):
        import_account_export(io.BytesIO(exported), email="ALEX@example.org")

    assert Entry.objects.count() == entries


def test_the_command_says_why_nothing_was_imported(exported, tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(rewritten(exported, set_in(["version"], 2)))

    with pytest.raises(CommandError, match=r"Nothing was imported\. This export is in version 2"):
        call_command("import_account_export", str(path), "--email", NEW_ADDRESS)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_account_export", str(tmp_path / "missing.zip"))
