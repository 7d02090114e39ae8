"""Joining a PDF's parts: every page in order in one page tree, one bookmark per part, and one
part open at a time."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, RectangleObject

from packs import pdf


def render_part(path: Path, pages: list[str]) -> Path:
    """A part as WeasyPrint makes it, one page per text; its first page is a heading, which
    WeasyPrint bookmarks in the part."""
    first, *rest = pages
    html = f'<h1 style="page-break-after: always">{first}</h1>' + "".join(
        f'<p style="page-break-after: always">{text}</p>' for text in rest
    )
    pdf.html_to_pdf(f"<html><body>{html}</body></html>", str(path))
    return path


def joined(parts: Iterable[tuple[Path, str]]) -> PdfReader:
    out = io.BytesIO()
    pdf.join_pdfs(parts, out)
    return PdfReader(io.BytesIO(out.getvalue()), strict=True)


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text().strip() for page in reader.pages]


def test_joining_parts_keeps_every_page_and_bookmarks_each_part(tmp_path):
    parts = []
    for name, pages in (("first", 2), ("second", 1)):
        html = "".join(
            f'<p style="page-break-after: always">{name} part, page {n + 1}</p>'
            for n in range(pages)
        )
        pdf.html_to_pdf(f"<html><body>{html}</body></html>", str(tmp_path / f"{name}.pdf"))
        parts.append((tmp_path / f"{name}.pdf", f"The {name} part"))
    joined = io.BytesIO()

    pdf.join_pdfs(parts, joined)

    reader = PdfReader(io.BytesIO(joined.getvalue()), strict=True)
    texts = [page.extract_text() for page in reader.pages]
    assert [t.strip() for t in texts if t.strip()] == [
        "first part, page 1",
        "first part, page 2",
        "second part, page 1",
    ]
    assert [item.title for item in reader.outline] == ["The first part", "The second part"]
    assert [reader.get_destination_page_number(item) for item in reader.outline] == [0, 2]


def test_many_parts_join_in_order_with_one_bookmark_each(tmp_path):
    pages_of = {n: [f"part {n}, page {p + 1}" for p in range(n % 3 + 1)] for n in range(12)}
    parts = [
        (render_part(tmp_path / f"part-{n:02d}.pdf", pages), f"Part {n}")
        for n, pages in pages_of.items()
    ]

    reader = joined(parts)

    assert page_texts(reader) == [text for pages in pages_of.values() for text in pages]
    # One page tree: no page still hangs from its part's own.
    tree = reader.root_object.raw_get("/Pages")
    assert [page.raw_get("/Parent") for page in reader.pages] == [tree] * len(reader.pages)
    # Each part's own bookmark (its heading) is left out: the outline is one level deep.
    assert [item.title for item in reader.outline] == [f"Part {n}" for n in range(12)]
    first_pages = [0]
    for pages in list(pages_of.values())[:-1]:
        first_pages.append(first_pages[-1] + len(pages))
    assert [reader.get_destination_page_number(item) for item in reader.outline] == first_pages
    assert reader.root_object["/PageMode"] == "/UseOutlines"


def test_a_page_keeps_what_it_inherited_from_its_parts_page_tree(tmp_path):
    writer = PdfWriter()
    page = writer.add_blank_page(200, 300)
    del page[NameObject("/MediaBox")]
    tree = writer.root_object["/Pages"]
    tree[NameObject("/MediaBox")] = RectangleObject([0, 0, 200, 300])
    tree[NameObject("/Rotate")] = NumberObject(90)
    writer.write(tmp_path / "inherits.pdf")
    other = render_part(tmp_path / "other.pdf", ["another part"])

    reader = joined([(other, "Another"), (tmp_path / "inherits.pdf", "Inherits")])

    page = reader.pages[1]
    assert "/MediaBox" in page and "/Rotate" in page  # its own, not a new page tree's
    assert [float(n) for n in page.mediabox] == [0, 0, 200, 300]
    assert page.rotation == 90


def open_files() -> set[Path]:
    """The files this process has open (Linux)."""
    descriptors = Path("/proc/self/fd")
    return {Path(os.readlink(fd)) for fd in descriptors.iterdir() if fd.exists()}


def test_joining_holds_one_part_open_at_a_time(tmp_path):
    """An open part costs memory in proportion to its size, so a long portfolio may not keep
    every part open until the joined file is written."""
    one = render_part(tmp_path / "one.pdf", ["a heading", "a page"])
    paths = [tmp_path / f"part-{n}.pdf" for n in range(5)]
    for path in paths:
        shutil.copyfile(one, path)
    open_when_asked: list[set[Path]] = []

    def parts() -> Iterator[tuple[Path, str]]:
        for n, path in enumerate(paths):
            open_when_asked.append(open_files() & set(paths))
            yield path, f"Part {n}"
        open_when_asked.append(open_files() & set(paths))

    reader = joined(parts())

    assert open_when_asked == [set()] * 6
    assert len(reader.pages) == 10
