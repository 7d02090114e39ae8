"""PDFs from our own templates, rendered in parts and joined, fetching nothing from outside.

Every text a user wrote reaches the HTML through Django's escaping or rendering.py (Markdown
with raw HTML off, then nh3), so it is never markup; and the URL fetcher refuses everything but
data: URIs and files in our own static directory, so even a link that slipped through could not
make the renderer reach the network or read another file. Rendering a few entries at a time
keeps the renderer's memory flat however long the portfolio is; joining the parts holds one
part open at a time, and the joined document's objects until it is written.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import current_process, get_context
from pathlib import Path
from typing import BinaryIO
from urllib.request import url2pathname

import pikepdf
from django.conf import settings

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


def join_pdfs(parts: Iterable[tuple[Path, str]], target: BinaryIO) -> None:
    """Concatenate PDF files into ``target``, each part a bookmark to its first page; a
    part's own bookmarks and named destinations are left out.

    qpdf (through pikepdf) copies, renumbers and writes. copy_foreign copies a page with
    everything it uses, stream data included, so each part is closed before the next is
    opened; the joined document holds every page's objects, a few KiB a page, until it is
    written (bench/export.py prints the figures)."""
    with pikepdf.new() as joined:
        tree = joined.Root.Pages
        bookmarks: list[tuple[str, pikepdf.Dictionary]] = []
        for path, title in parts:
            # Opening pushes what a page inherits from its part's page tree onto the page.
            with pikepdf.open(path) as part:
                pages = [joined.copy_foreign(page.obj) for page in part.pages]
            for page in pages:
                page.Parent = tree
            # Into /Kids directly: adding through pikepdf's page list slows with every page
            # already joined (a minute for 17,000 pages, where this takes seconds).
            tree.Kids.extend(pages)
            if pages:
                bookmarks.append((title, pages[0]))
        tree.Count = len(tree.Kids)
        with joined.open_outline() as outline:
            outline.root.extend(
                pikepdf.OutlineItem(title, pikepdf.Array([page, pikepdf.Name.Fit]))
                for title, page in bookmarks
            )
        joined.Root.PageMode = pikepdf.Name.UseOutlines
        # The file's /ID from its content, not the clock: the same parts give the same file.
        joined.save(target, deterministic_id=True)
