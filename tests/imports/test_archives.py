"""Uploaded ZIP archives are read without trusting their names or their sizes."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.importers.archives import SafeArchive, is_zip, safe_member_name
from imports.importers.base import ImportRejected


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    "name", ["../evil", "a/../../evil", "/etc/passwd", "C:/Windows/x", "a\\..\\..\\b", ".", ""]
)
def test_names_that_leave_the_archive_are_refused(name):
    assert safe_member_name(name) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [("data/tweets.js", "data/tweets.js"), ("a\\b.txt", "a/b.txt"), ("./x.xml", "x.xml")],
)
def test_names_inside_the_archive_are_kept(name, expected):
    assert safe_member_name(name) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab./\\:.."), max_size=12))
def test_a_kept_name_never_climbs_out(name):
    kept = safe_member_name(name)
    if kept is not None:
        path = PurePosixPath(kept)
        assert not path.is_absolute()
        assert ".." not in path.parts
        assert path.parts


def test_an_archive_holding_a_climbing_path_is_refused_whole():
    with pytest.raises(ImportRejected, match="leaves the archive"):
        SafeArchive(zipped({"data/tweets.js": b"[]", "../../outside.txt": b"x"}))


def test_symbolic_links_are_not_members():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("data/tweets.js")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    buffer.seek(0)
    assert SafeArchive(buffer).find("data/tweets.js") is None


def test_members_are_found_under_any_folder_whatever_the_case():
    archive = SafeArchive(zipped({"twitter-2026/DATA/Tweets.js": b"[]"}))
    assert archive.find("data/tweets.js") == "twitter-2026/DATA/Tweets.js"


def test_unpacking_past_the_budget_is_refused_however_well_it_compresses():
    bomb = zipped({"data/tweets.js": b"\0" * 5_000_000})
    assert bomb.getbuffer().nbytes < 50_000
    archive = SafeArchive(bomb, budget=1_000_000)
    with pytest.raises(ImportRejected, match="unpacks to more than"):
        archive.read("data/tweets.js")


def test_the_budget_is_shared_by_every_member_read():
    archive = SafeArchive(zipped({"a": b"x" * 600, "b": b"y" * 600}), budget=1_000)
    assert archive.read("a") == b"x" * 600
    with pytest.raises(ImportRejected):
        archive.read("b")


def test_a_header_that_understates_a_size_does_not_escape_the_budget():
    data = bytearray(zipped({"big": b"z" * 10_000}, zipfile.ZIP_STORED).getvalue())
    # Rewrite the declared size in the central directory to claim 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    archive = SafeArchive(io.BytesIO(bytes(data)), budget=1_000)
    with pytest.raises(ImportRejected):
        archive.read("big")


def test_not_a_zip():
    assert not is_zip(io.BytesIO(b"window.YTD.tweets.part0 = []"))
    with pytest.raises(ImportRejected, match="not a ZIP archive"):
        SafeArchive(io.BytesIO(b"PK\x03\x04 but nothing else"))
