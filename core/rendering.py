"""Reflections are Markdown. They are rendered with raw HTML switched off and then cleaned
by nh3, so nothing a user (or an importer) writes can run in another page."""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

_ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "h3",
    "h4",
    "hr",
}


def render_markdown(text: str) -> str:
    html = _markdown.render(text or "")
    # Headings written as # or ## would outrank the page's own; demote them to h3/h4.
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    for level in (5, 6):
        html = html.replace(f"<h{level}>", "<p>").replace(f"</h{level}>", "</p>")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
