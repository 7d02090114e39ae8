"""Where a new entry's starting values come from.

/activities/new/ opens the entry form empty, or filled in from its query string by whichever
app knows that query: the library (?resource=) and quick capture (?url=&title=&text=) build on
the log, so each registers a reader from its AppConfig.ready() rather than the log importing
them. The first reader, in INSTALLED_APPS order, that finds something wins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import QueryDict

StartingValuesReader = Callable[[QueryDict], dict[str, Any]]
_readers: list[StartingValuesReader] = []


def register_starting_values(reader: StartingValuesReader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def starting_values(query: QueryDict) -> dict[str, Any]:
    for reader in _readers:
        if values := reader(query):
            return values
    return {}
