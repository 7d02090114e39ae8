"""The named storages (settings.STORAGES) private files are kept in, one for each kind.

A FileField's ``storage=`` takes one of the functions below. Django calls it once, when the
model loads, so each returns a stand-in that looks its storage up by name on first use and
again after the STORAGES setting changes (as tests change it): the field follows settings
like ``default_storage`` does.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

# Evidence files, and the evidence an import or an account import creates.
EVIDENCE = "evidence"
# Uploaded import files and the attachments staged from them until the import is confirmed.
IMPORTS = "imports"
# What workers build for download: evidence packs and account exports.
EXPORTS = "exports"


class _NamedStorage(LazyObject):
    def __init__(self, alias: str) -> None:
        super().__init__()
        self.__dict__["alias"] = alias

    def _setup(self) -> None:
        self._wrapped = storages[self.__dict__["alias"]]


_STORES = {alias: _NamedStorage(alias) for alias in (EVIDENCE, IMPORTS, EXPORTS)}


def evidence_storage() -> Storage:
    return _STORES[EVIDENCE]


def import_storage() -> Storage:
    return _STORES[IMPORTS]


def export_storage() -> Storage:
    return _STORES[EXPORTS]


@receiver(setting_changed)
def _follow_changed_storages(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        for store in _STORES.values():
            store._wrapped = empty
