"""Navigation links that say which one is the current page.

``{% nav_link "summaries:list" "Summaries" %}`` is a link marked aria-current="page" on that
page, and on any other page named after the label (``"packs:detail"``, say, or every name
that starts alike: a whole namespace as ``"programmes:*"``, the curation pages as
``"resources:curation_*"``). The names are the URLs' own, so a renamed URL cannot silently
stop marking its link.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _is_current(view_name: str, names: tuple[str, ...]) -> bool:
    return any(
        name == view_name or (name.endswith("*") and view_name.startswith(name[:-1]))
        for name in names
    )


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str, *also_current: str) -> SafeString:
    match = getattr(context.get("request"), "resolver_match", None)
    current = bool(match) and _is_current(match.view_name, (url_name, *also_current))
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', reverse(url_name), label)
    return format_html('<a href="{}">{}</a>', reverse(url_name), label)
