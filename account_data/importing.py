""" "Import into another portal": recreate an account from its "Download everything" ZIP.

Refused, with nothing created, when the ZIP is not one, when account.json does not match the
schema, when an account with the address exists, or when a file fails the checks every
evidence upload passes or differs from the SHA-256 account.json records for it. Otherwise, in
one transaction: the profile, tags, every entry with its capabilities, tags and files, the
summaries, notifications and reading list, all with the values they had.

What is not recreated, and why: the password (never exported; the person sets a new one with
"Forgot password"); API tokens (their secrets were never kept, so they could not work); library
suggestions (they belong to that portal's curators); and programme memberships with their
submissions, comments and sign-offs: they belong to a programme and its leaders on the portal
the file came from, which this portal does not have. They stay in the ZIP, for the record.
A capability or library resource this portal does not have is left out, and said so.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models, transaction
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from accounts.models import Role, User
from peer_confirmations.models import PeerConfirmation
from peer_confirmations.requests import token_hash
from portfolio.entries import tags_for
from portfolio.evidence import EvidenceKind, check_evidence_file
from portfolio.models import Capability, Entry, Evidence, Tag
from portfolio.tallies import recount
from programmes.models import Notification
from resources.models import ReadingListEntry, Resource
from summaries.models import ReflectiveSummary

from .records import (
    DOCUMENT_NAME,
    ENTRY_FIELDS,
    EVIDENCE_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    NOTIFICATION_FIELDS,
    PEER_CONFIRMATION_FIELDS,
    PROFILE_FIELDS,
    READING_LIST_FIELDS,
    SUMMARY_FIELDS,
    automatic_times,
    values_from,
)

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "account-export.schema.json"


class ImportRefused(Exception):
    """The ZIP cannot be imported; the message says why, to the person importing it."""


@dataclass
class ImportResult:
    user: User
    entries: int = 0
    files: int = 0
    summaries: int = 0
    notifications: int = 0
    # What was left out, each in a sentence: a capability this portal lacks, say.
    notes: list[str] = field(default_factory=list)


@cache
def export_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_validator() -> Draft202012Validator:
    return Draft202012Validator(export_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- Reading the ZIP -------------------------------------------------------------------------


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of a member, plus one to tell it was longer: counted as it is
    unpacked, since a ZIP's header may lie about the size."""
    try:
        with archive.open(name) as member:
            return member.read(limit + 1)
    except KeyError as error:
        raise ImportRefused(f"The ZIP has no {name}.") from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportRefused(f"{name} in the ZIP is damaged ({error}).") from error


def read_document(archive: zipfile.ZipFile) -> dict[str, Any]:
    """account.json, checked against the schema: a ValidationError names where it is wrong."""
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    raw = _read_member(archive, DOCUMENT_NAME, limit)
    if len(raw) > limit:
        raise ImportRefused(f"{DOCUMENT_NAME} is larger than this portal accepts.")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ImportRefused(f"{DOCUMENT_NAME} is not valid JSON ({error}).") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(f"{DOCUMENT_NAME} is not a CPD Portal account export.")
    if document.get("version") != FORMAT_VERSION:
        raise ImportRefused(
            f"This export is in version {document.get('version')!r} of the format; this portal "
            f"reads version {FORMAT_VERSION}."
        )
    problem = best_match(schema_validator().iter_errors(document))
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "the top level"
        raise ImportRefused(
            f"{DOCUMENT_NAME} does not match the account export schema at {where}: "
            f"{problem.message}"
        )
    return document


def _checked_file(
    archive: zipfile.ZipFile, record: dict[str, Any]
) -> tuple[SimpleUploadedFile, EvidenceKind]:
    """An evidence file from the ZIP, as its entry's record describes it, checked as every
    upload is (type by name and content, size limit) and against its recorded SHA-256."""
    content = _read_member(archive, record["path"], settings.EVIDENCE_MAX_BYTES)
    upload = SimpleUploadedFile(record["original_name"], content)
    try:
        kind = check_evidence_file(upload)
    except ValidationError as error:
        raise ImportRefused(" ".join(error.messages)) from error
    if hashlib.sha256(content).hexdigest() != record["sha256"] or len(content) != record["size"]:
        raise ImportRefused(
            f"{record['path']} is not the file {DOCUMENT_NAME} describes (its SHA-256 or size "
            "differs): the ZIP was changed or damaged after it was exported."
        )
    return upload, kind


# --- Recreating the account ------------------------------------------------------------------


def _validated(row: models.Model, what: str, exclude: Iterable[str] = ()) -> models.Model:
    try:
        row.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise ImportRefused(f"{what}: {' '.join(error.messages)}") from error
    return row


def _restore_times(row: models.Model, values: dict[str, Any]) -> None:
    """Write again the times Django set itself when ``row`` was saved."""
    model = type(row)
    times = automatic_times(model, list(values))
    if times:
        model.objects.filter(pk=row.pk).update(**{name: values[name] for name in times})


def _values(model: type[models.Model], record: dict[str, Any], fields: list[str], what: str):
    try:
        return values_from(model, record, fields)
    except ValidationError as error:
        raise ImportRefused(f"{what}: {' '.join(error.messages)}") from error


def _create_user(profile: dict[str, Any], email: str, notes: list[str]) -> User:
    values = _values(User, profile, PROFILE_FIELDS, "The profile")
    values["email"] = email
    if values["role"] == Role.ADMIN:
        # A file never makes anyone an administrator here.
        values["role"] = Role.PRACTITIONER
        notes.append("The account was an administrator's there; here it is a practitioner's.")
    user = User(**values)
    user.set_unusable_password()
    _validated(user, "The profile", exclude=["password"])
    user.save()
    # Unverified: whoever first asks for a new password proves the address is theirs.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


class _Library:
    """This portal's capabilities and resources, looked up by what the file names them by."""

    def __init__(self, notes: list[str]):
        self.notes = notes
        self.capabilities = {
            (framework, code): pk
            for pk, framework, code in Capability.objects.values_list(
                "pk", "framework__slug", "code"
            )
        }
        self.missing: set[tuple[str, str]] = set()

    def capability_ids(self, records: list[dict[str, str]]) -> list[int]:
        found = []
        for record in records:
            key = (record["framework"], record["code"])
            if key in self.capabilities:
                found.append(self.capabilities[key])
            elif key not in self.missing:
                self.missing.add(key)
                self.notes.append(
                    f"This portal has no capability {record['code']} of the framework "
                    f"{record['framework']}: entries mapped to it are imported without it."
                )
        return found

    def resource(self, record: dict[str, str] | None, what: str) -> Resource | None:
        if record is None:
            return None
        resource = Resource.objects.filter(url=record["url"]).first()
        if resource is None:
            self.notes.append(
                f"{what}: this portal's library has no {record['title']!r} ({record['url']})."
            )
        return resource


def _create_entry(
    archive: zipfile.ZipFile,
    user: User,
    record: dict[str, Any],
    library: _Library,
    stored: list[str],
) -> tuple[Entry, int]:
    what = f"The entry {record['title']!r}"
    values = _values(Entry, record, ENTRY_FIELDS, what)
    entry = Entry(owner=user, resource=library.resource(record["resource"], what), **values)
    _validated(entry, what)
    entry.save()
    _restore_times(entry, values)
    entry.capabilities.set(library.capability_ids(record["capabilities"]))
    entry.tags.set(tags_for(user, record["tags"]))
    files = 0
    for item in record["evidence"]:
        if item["path"] is None:
            library.notes.append(
                f"{what}: {item['original_name']} was missing when the export was made."
            )
            continue
        upload, kind = _checked_file(archive, item)
        evidence_values = _values(Evidence, item, EVIDENCE_FIELDS, what)
        evidence = Evidence(
            entry=entry,
            original_name=evidence_values["original_name"],
            content_type=kind.content_type,
            size=upload.size,
        )
        evidence.file.save(upload.name, upload, save=False)
        stored.append(evidence.file.name)
        evidence.save()
        _restore_times(evidence, evidence_values)
        files += 1
    _create_peer_confirmations(entry, record.get("peer_confirmations", []), what)
    return entry, files


def _create_peer_confirmations(entry: Entry, records: list[dict[str, Any]], what: str) -> None:
    """The colleagues' answers, as they were. Requests never answered are left out: their
    links belong to the portal that sent them. Each answer gets a token hash nobody holds."""
    for record in records:
        if record["answered_at"] is None:
            continue
        values = _values(PeerConfirmation, record, PEER_CONFIRMATION_FIELDS, what)
        confirmation = PeerConfirmation(
            entry=entry, token_hash=token_hash(secrets.token_urlsafe(32)), **values
        )
        _validated(confirmation, f"{what}: a colleague's answer", exclude=["entry"])
        confirmation.save()


def _recreate(archive: zipfile.ZipFile, document: dict[str, Any], email: str) -> ImportResult:
    notes: list[str] = []
    user = _create_user(document["profile"], email, notes)
    result = ImportResult(user=user, notes=notes)
    library = _Library(notes)
    for name in document["tags"]:
        Tag.objects.create(owner=user, name=name)
    stored: list[str] = []
    try:
        days = set()
        for record in document["entries"]:
            entry, files = _create_entry(archive, user, record, library, stored)
            days.add(entry.occurred_on)
            result.entries += 1
            result.files += files
        recount(user.pk, days)
        for record in document["summaries"]:
            what = f"The summary of {record['period_start']} to {record['period_end']}"
            values = _values(ReflectiveSummary, record, SUMMARY_FIELDS, what)
            summary = _validated(ReflectiveSummary(owner=user, **values), what)
            summary.save()
            _restore_times(summary, values)
            result.summaries += 1
        for record in document["notifications"]:
            values = _values(Notification, record, NOTIFICATION_FIELDS, "A notification")
            _validated(Notification(user=user, **values), "A notification").save()
            result.notifications += 1
        for record in document["reading_list"]:
            resource = library.resource(record["resource"], "Your reading list")
            if resource is not None:
                values = _values(ReadingListEntry, record, READING_LIST_FIELDS, "Reading list")
                saved = ReadingListEntry.objects.create(owner=user, resource=resource, **values)
                _restore_times(saved, values)
    except Exception:
        # The transaction rolls the rows back; the files stored on the way must go too.
        for name in stored:
            Evidence.file.field.storage.delete(name)
        raise
    return result


def import_account_export(source: IO[bytes], *, email: str | None = None) -> ImportResult:
    """Recreate the account a "Download everything" ZIP holds, under its own address or
    ``email``; all or nothing. Raises ImportRefused, with nothing created, when it cannot."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportRefused("That is not a ZIP file.") from error
    with archive:
        document = read_document(archive)
        address = User.objects.normalize_email(email or document["profile"]["email"]).lower()
        if User.objects.filter(email__iexact=address).exists() or (
            EmailAddress.objects.filter(email__iexact=address).exists()
        ):
            raise ImportRefused(f"An account with the address {address} already exists here.")
        try:
            with transaction.atomic():
                return _recreate(archive, document, address)
        except IntegrityError as error:
            raise ImportRefused(f"The data contradicts itself ({error}).") from error
