"""Reading uploaded ZIP archives without trusting them.

A member's name may climb out of the archive ("../../etc/passwd") or be absolute, its header
may understate its size, and a few kilobytes may unpack to gigabytes. Nothing here extracts
to disk: members are read into memory, counted as they are unpacked, and refused as soon as
they pass the limit, whatever their headers claimed.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from .base import ImportRejected, unpacked_limit

READ_CHUNK = 1024 * 1024


def is_zip(source: BinaryIO) -> bool:
    """Whether ``source`` starts like a ZIP archive; leaves it at the start."""
    source.seek(0)
    magic = source.read(4)
    source.seek(0)
    return magic in (b"PK\x03\x04", b"PK\x05\x06")


def safe_member_name(name: str) -> str | None:
    """The member's path inside the archive, or None when it is absolute or climbs out."""
    name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if not path.parts or path.is_absolute() or ":" in path.parts[0] or ".." in path.parts:
        return None
    return str(path)


class SafeArchive:
    """An uploaded ZIP, read member by member within one budget of unpacked bytes."""

    def __init__(self, source: BinaryIO, *, budget: int | None = None):
        try:
            self._zip = zipfile.ZipFile(source)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise ImportRejected("This is not a ZIP archive we can open.") from error
        self.remaining = unpacked_limit() if budget is None else budget
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
                continue  # directories hold nothing; a link could point anywhere
            name = safe_member_name(info.filename)
            if name is None:
                raise ImportRejected(
                    f"The archive holds a file whose path leaves the archive "
                    f"({info.filename[:80]!r}), so we will not open it."
                )
            self._members.setdefault(name, info)

    def names(self) -> list[str]:
        return list(self._members)

    def find(self, *suffixes: str) -> str | None:
        """The first member whose path ends with one of ``suffixes`` (case-insensitive), so
        "data/tweets.js" is found whatever folder the archive was packed under."""
        for suffix in suffixes:
            for name in self._members:
                if name.lower() == suffix.lower() or name.lower().endswith("/" + suffix.lower()):
                    return name
        return None

    def read(self, name: str) -> bytes:
        """One member's content, charged to the budget as it is unpacked."""
        info = self._members.get(name)
        if info is None:
            raise ImportRejected(f"The archive has no file called {name!r}.")
        if info.file_size > self.remaining:
            raise self._too_large()
        parts: list[bytes] = []
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(min(READ_CHUNK, self.remaining + 1)):
                    self.remaining -= len(chunk)
                    if self.remaining < 0:
                        raise self._too_large()
                    parts.append(chunk)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as error:
            raise ImportRejected(
                f"{name!r} in the archive is damaged or packed in a way we cannot read."
            ) from error
        return b"".join(parts)

    @staticmethod
    def _too_large() -> ImportRejected:
        limit_mb = unpacked_limit() // (1024 * 1024)
        return ImportRejected(
            f"The archive unpacks to more than {limit_mb} MB, which is more than we can import "
            "at once. Upload the one file the import needs instead (the page says which)."
        )


def read_upload(source: BinaryIO) -> bytes:
    """A file uploaded on its own rather than in an archive. It is parsed in memory just like
    an archive's member, so the same unpacked limit applies."""
    source.seek(0)
    data = source.read(unpacked_limit() + 1)
    if len(data) > unpacked_limit():
        raise ImportRejected(
            f"The file is larger than {unpacked_limit() // (1024 * 1024)} MB, which is more than "
            "we can import at once."
        )
    return data
