"""What background work leaves behind when its worker is killed, and the sweep that removes it.

A worker killed mid-build leaves its working folder (WORK_TEMP_DIR) and whatever file it was
storing. So files are stored whole or not at all (``save_whole``: on a local disk, written
under ``partial/``, then moved to their name), and the sweep (``sweep_leftovers``) removes,
once they are older than WORK_LEFTOVERS_AFTER_SECONDS (longer than any build's time limit, so
nothing in progress is ever touched):
- files under ``partial/``: a save that never finished;
- files in a registered directory that no row's file field names: stored by an attempt that
  died before it could record them;
- working folders no running attempt owns (each is named for its work, row and attempt).
It also deletes rows that hold a file only until their owner comes back for it (such as the
files kept for an entry's form that came back with an error) once they are abandoned:
older than their kind's setting (``register_abandoned_rows``); their files go with them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import models

from .background import work_kinds
from .models import WorkState

PARTIAL_DIR = "partial"
NAMES_PER_QUERY = 500

# --- Writing --------------------------------------------------------------------------------


def working_folder(label: str, pk: Any, attempt: int) -> tempfile.TemporaryDirectory:
    """A temporary folder for one attempt at one row's work (``label`` as registered with
    core.background.register_work_kind): removed when the attempt ends, and by the sweep
    if its worker is killed first."""
    root = Path(settings.WORK_TEMP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=f"{label}-{pk}-{attempt}-", dir=root)


def save_whole(storage: Storage, name: str, content: File) -> str:
    """Store ``content`` so that ``name`` (or the free name the storage picks for it) only ever
    holds it complete; returns the name stored. On a local disk a save cut short leaves a file
    under ``partial/``, which the sweep removes; in an object store each save is whole or
    absent already (an unfinished multipart upload is no object)."""
    if not _has_local_paths(storage):
        return storage.save(name, content)
    staged = storage.save(f"{PARTIAL_DIR}/{uuid.uuid4().hex}{PurePosixPath(name).suffix}", content)
    stored = storage.get_available_name(name)
    target = Path(storage.path(stored))
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(storage.path(staged), target)
    return stored


def _has_local_paths(storage: Storage) -> bool:
    try:
        storage.path(PARTIAL_DIR)
    except NotImplementedError:
        return False
    return True


# --- Whose files are in storage ------------------------------------------------------------

_STORED_FILES: dict[str, list[tuple[type[models.Model], str]]] = {}


def register_stored_files(directory: str, model: type[models.Model], field: str = "file") -> None:
    """Called from an AppConfig.ready(): files under ``directory`` in the storage of
    ``model``'s ``field`` belong to it; one that no row names is a leftover. The owners of
    one directory share a storage."""
    owners = _STORED_FILES.setdefault(directory, [])
    if (model, field) not in owners:
        owners.append((model, field))


def _storage_of(owners: list[tuple[type[models.Model], str]]) -> Storage:
    model, field = owners[0]
    return model._meta.get_field(field).storage


def _files_under(storage: Storage, directory: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for folder in folders:
        yield from _files_under(storage, f"{directory}/{folder}")


def _older_than(storage: Storage, name: str, cutoff: dt.datetime) -> bool:
    try:
        return storage.get_modified_time(name) < cutoff
    except FileNotFoundError:
        return False  # gone meanwhile


def _referenced(names: list[str], owners: list[tuple[type[models.Model], str]]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(names), NAMES_PER_QUERY):
        chunk = names[start : start + NAMES_PER_QUERY]
        for model, field in owners:
            found.update(
                model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True)
            )
    return found


def _sweep_storages(cutoff: dt.datetime) -> int:
    removed = 0
    # Several names may be one store (by default all are one folder): its partial files are
    # then looked for more than once, and removed once.
    stores = {id(storage): storage for storage in map(_storage_of, _STORED_FILES.values())}
    for storage in stores.values():
        for name in _files_under(storage, PARTIAL_DIR):
            if _older_than(storage, name, cutoff):
                storage.delete(name)
                removed += 1
    for directory, owners in _STORED_FILES.items():
        storage = _storage_of(owners)
        old = [
            name for name in _files_under(storage, directory) if _older_than(storage, name, cutoff)
        ]
        for name in set(old) - _referenced(old, owners):
            storage.delete(name)
            removed += 1
    return removed


# --- Rows held for a while, then abandoned --------------------------------------------------

_ABANDONED_AFTER: dict[type[models.Model], str] = {}


def register_abandoned_rows(model: type[models.Model], keep_seconds_setting: str) -> None:
    """Called from an AppConfig.ready(): a row of ``model`` (with ``created_at`` and a
    ``file``) older than the setting named ``keep_seconds_setting`` was abandoned; the sweep
    deletes it and its file."""
    _ABANDONED_AFTER[model] = keep_seconds_setting


def _sweep_abandoned_rows(now: dt.datetime) -> int:
    removed = 0
    for model, setting in _ABANDONED_AFTER.items():
        cutoff = now - dt.timedelta(seconds=getattr(settings, setting))
        storage = model._meta.get_field("file").storage
        for pk, name in model.objects.filter(created_at__lt=cutoff).values_list("pk", "file"):
            # The row first: a file left by a failed delete is one no row names, which the
            # sweep of stored files removes later.
            if model.objects.filter(pk=pk).delete()[0] and name:
                storage.delete(name)
                removed += 1
    return removed


# --- Working folders -----------------------------------------------------------------------


def _owned(folder: str) -> bool:
    """Whether a running attempt owns the folder (named by ``working_folder``)."""
    for label, kind in work_kinds().items():
        if not folder.startswith(f"{label}-"):
            continue
        pk, attempt, _random = folder.removeprefix(f"{label}-").rsplit("-", 2)
        try:
            return kind.model.objects.filter(
                pk=pk, attempts=int(attempt), state=WorkState.RUNNING
            ).exists()
        except (ValueError, ValidationError):
            return False
    return False


def _last_written(folder: Path) -> float:
    """When anything in the folder last changed (a build writes in it at every step)."""
    times = [folder.stat().st_mtime]
    for parent, _, files in os.walk(folder):
        times.extend((Path(parent) / name).stat().st_mtime for name in files)
    return max(times)


def _sweep_working_folders(cutoff: dt.datetime) -> int:
    root = Path(settings.WORK_TEMP_DIR)
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        try:
            if not folder.is_dir() or _owned(folder.name):
                continue
            if _last_written(folder) < cutoff.timestamp():
                shutil.rmtree(folder)
                removed += 1
        except FileNotFoundError:
            continue  # its attempt finished and removed it meanwhile
    return removed


def sweep_leftovers(now: dt.datetime) -> dict[str, int]:
    """Remove files and working folders killed work left behind, and rows (with their files)
    their owners abandoned (see the module's docstring); returns how many files and folders."""
    cutoff = now - dt.timedelta(seconds=settings.WORK_LEFTOVERS_AFTER_SECONDS)
    return {
        "files": _sweep_abandoned_rows(now) + _sweep_storages(cutoff),
        "working_folders": _sweep_working_folders(cutoff),
    }
