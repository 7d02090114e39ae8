from html.parser import HTMLParser

import pytest

from core.rendering import render_markdown


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def test_markdown_renders_emphasis_lists_and_links():
    html = render_markdown(
        "I learned *three* things:\n\n- one\n- two\n\n[BASW](https://www.basw.co.uk/)"
    )
    assert "<em>three</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://www.basw.co.uk/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://e.org" onclick="steal()">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_hostile_html_is_neutralised(hostile):
    html = render_markdown(f"Before {hostile} after")
    elements = _Elements(html)
    assert set(elements.tags) <= {"p", "a", "em", "strong"}
    assert not [name for name, _ in elements.attributes if name.startswith("on")]
    hrefs = [value for name, value in elements.attributes if name == "href"]
    assert all(href.startswith(("http://", "https://", "mailto:")) for href in hrefs)
    assert "Before" in html and "after" in html


def test_autolinks_are_kept_as_safe_links():
    html = render_markdown("<https://example.org>")
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">' in html


def test_headings_are_demoted_below_the_page_heading():
    html = render_markdown("# Big\n\n## Smaller\n\n##### Tiny")
    assert "<h1>" not in html and "<h2>" not in html
    assert "<h3>Big</h3>" in html
    assert "<h4>Smaller</h4>" in html
    assert "<p>Tiny</p>" in html
