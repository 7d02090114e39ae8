"""Answering htmx: a page that polls gets only the part it swaps."""

from __future__ import annotations

from django.http import HttpRequest


def partial_when_polled(request: HttpRequest, template: str) -> str:
    return f"{template}#status" if request.htmx else template
