"""PDFs from our own templates, rendered in parts and joined, fetching nothing from outside.

Every text a user wrote reaches the HTML through Django's escaping or rendering.py (Markdown
with raw HTML off, then nh3), so it is never markup; and the URL fetcher refuses everything but
data: URIs and files in our own static directory, so even a link that slipped through could not
make the renderer reach the network or read another file. Rendering a few entries at a time and
joining the parts keeps memory flat however long the portfolio is.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from io import BytesIO
from multiprocessing import current_process, get_context
from pathlib import Path
from typing import BinaryIO
from urllib.request import url2pathname

from django.conf import settings
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    create_string_object,
)

STATIC_DIR = Path(settings.BASE_DIR / "static").resolve()


class RefusedFetch(ValueError):
    """WeasyPrint logs this and leaves the resource out."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher  # WeasyPrint needs Pango: import only to render

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            return super().fetch(check_fetchable(url), headers)

    return LocalOnlyFetcher


def check_fetchable(url: str) -> str:
    """``url`` if the renderer may fetch it: a data: URI, or a file in our static directory.
    Raises RefusedFetch for anything else: http(s), other files, any other scheme."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return url
    if scheme == "file":
        path = Path(url2pathname(url.removeprefix("file:").split("?")[0])).resolve()
        if path.is_relative_to(STATIC_DIR) and path.is_file():
            return url
    raise RefusedFetch(f"The PDF renderer fetches nothing from {url[:80]!r}.")


def html_to_pdf(html: str, target: str) -> None:
    """Render one HTML document to a PDF file. Runs in a rendering process: it takes and
    returns only plain values, and needs settings but no database."""
    from weasyprint import HTML  # WeasyPrint needs Pango: import only to render

    HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher_class()()).write_pdf(
        target
    )


class PartRenderer:
    """Turns HTML parts into PDF files in ``processes`` processes, in order. At most two
    parts per process are in flight, so memory stays bounded however many parts there are.
    With one process it renders in this one (tests, and machines with one core)."""

    def __init__(self, processes: int):
        # A daemonic process (a child of Celery's prefork pool) may not start processes of its
        # own; there the parts are rendered one after another in the worker itself.
        self.processes = 1 if current_process().daemon else processes
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PartRenderer:
        if self.processes > 1:
            # Spawned, not forked: a worker may have threads (and open connections) that a
            # forked child must not inherit.
            self.pool = ProcessPoolExecutor(self.processes, mp_context=get_context("spawn"))
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def render(self, parts: Iterable[tuple[str, Path]]) -> Iterator[Path]:
        """Yield each target once its (html, target) part is rendered, in the given order."""
        if self.pool is None:
            for html, target in parts:
                html_to_pdf(html, str(target))
                yield target
            return
        pending: deque[tuple[Future, Path]] = deque()
        for html, target in parts:
            pending.append((self.pool.submit(html_to_pdf, html, str(target)), target))
            if len(pending) >= 2 * self.processes:
                future, done = pending.popleft()
                future.result()
                yield done
        while pending:
            future, done = pending.popleft()
            future.result()
            yield done


# Page attributes a page may inherit from its page tree, which a joined page no longer has.
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_CATALOG, _PAGES, _OUTLINES = 1, 2, 3


class _Output:
    """The joined file as it is written: byte offsets of each object, for the xref table."""

    def __init__(self, target: BinaryIO):
        self.target, self.position, self.offsets = target, 0, {}

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.position += len(data)

    def object(self, number: int, value: PdfObject) -> None:
        self.offsets[number] = self.position
        buffer = BytesIO()
        value.write_to_stream(buffer)
        self.write(b"%d 0 obj\n%s\nendobj\n" % (number, buffer.getvalue()))


class _Renumbering:
    """One part's objects, numbered as they go into the joined file."""

    def __init__(self, next_number: int):
        self.next_number = next_number
        self.numbers: dict[int, int] = {}
        self.pending: list[int] = []  # numbered but not yet written

    def reference(self, idnum: int) -> IndirectObject:
        if idnum not in self.numbers:
            self.numbers[idnum] = self.next_number
            self.next_number += 1
            self.pending.append(idnum)
        return IndirectObject(self.numbers[idnum], 0, None)

    def remap(self, value):
        """``value`` with every reference renumbered, changed in place (the part is dropped
        once written). Raw values: pypdf resolves references on item access."""
        if isinstance(value, IndirectObject):
            return self.reference(value.idnum)
        if isinstance(value, DictionaryObject):  # a stream too: its data is written as is
            for key, item in list(dict.items(value)):
                dict.__setitem__(value, key, self.remap(item))
        elif isinstance(value, ArrayObject):
            for n, item in enumerate(list.__iter__(value)):
                list.__setitem__(value, n, self.remap(item))
        return value


def join_pdfs(parts: Iterable[tuple[Path, str]], target: BinaryIO) -> None:
    """Concatenate PDF files into ``target``, each part a bookmark, holding one part in
    memory at a time: a part's objects are renumbered and written out, then dropped. The
    page tree, the bookmarks and the cross-reference table, a few numbers per page, come
    last. Everything a page uses is reached from it; a part's own bookmarks and named
    destinations are left out."""
    out = _Output(target)
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    next_number = _OUTLINES + 1
    kids: list[int] = []
    bookmarks: list[tuple[str, int]] = []
    for path, title in parts:
        reader = PdfReader(str(path))
        part = _Renumbering(next_number)
        first_page = len(kids)
        for page in reader.pages:
            for key in _INHERITED:
                if key not in page and (inherited := page.get_inherited(key, None)) is not None:
                    page[NameObject(key)] = inherited
            page[NameObject("/Parent")] = IndirectObject(_PAGES, 0, None)
            kids.append(part.reference(page.indirect_reference.idnum).idnum)
        while part.pending:
            idnum = part.pending.pop()
            out.object(part.numbers[idnum], part.remap(reader.get_object(idnum)))
        if len(kids) > first_page:
            bookmarks.append((title, kids[first_page]))
        next_number = part.next_number

    out.object(
        _PAGES,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Count"): NumberObject(len(kids)),
                NameObject("/Kids"): ArrayObject(IndirectObject(k, 0, None) for k in kids),
            }
        ),
    )
    first_bookmark = next_number
    for n, (title, page) in enumerate(bookmarks):
        item = {
            "/Title": create_string_object(title),
            "/Parent": IndirectObject(_OUTLINES, 0, None),
            "/Dest": ArrayObject([IndirectObject(page, 0, None), NameObject("/Fit")]),
        }
        if n:
            item["/Prev"] = IndirectObject(first_bookmark + n - 1, 0, None)
        if n < len(bookmarks) - 1:
            item["/Next"] = IndirectObject(first_bookmark + n + 1, 0, None)
        out.object(
            first_bookmark + n, DictionaryObject({NameObject(k): v for k, v in item.items()})
        )
    outlines = {NameObject("/Type"): NameObject("/Outlines")}
    if bookmarks:
        outlines[NameObject("/First")] = IndirectObject(first_bookmark, 0, None)
        outlines[NameObject("/Last")] = IndirectObject(first_bookmark + len(bookmarks) - 1, 0, None)
        outlines[NameObject("/Count")] = NumberObject(len(bookmarks))
    out.object(_OUTLINES, DictionaryObject(outlines))
    out.object(
        _CATALOG,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(_PAGES, 0, None),
                NameObject("/Outlines"): IndirectObject(_OUTLINES, 0, None),
                NameObject("/PageMode"): NameObject("/UseOutlines"),
            }
        ),
    )
    size = first_bookmark + len(bookmarks)
    xref = out.position
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % out.offsets[number])
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, _CATALOG, xref)
    )
