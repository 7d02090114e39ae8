import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.importers.text import clean_text, html_to_line, html_to_text, shorten


def test_paragraphs_breaks_and_list_items_become_lines():
    text = html_to_text(
        "<p>Went to the <b>BASW</b> webinar.</p><p>Two things:<br>first<br/>second</p>"
        "<ul><li>one</li><li><p>two</p></li></ul><h2>After</h2>"
    )
    assert text == (
        "Went to the BASW webinar.\n\nTwo things:\nfirst\nsecond\n\n- one\n- two\n\nAfter"
    )


def test_scripts_and_styles_go_with_their_content():
    text = html_to_text(
        "<p>Kept</p><script>alert('x')</script><style>p { color: red }</style>"
        "<svg><script>steal()</script></svg><iframe src='https://evil.example'>inner</iframe>"
    )
    assert text == "Kept"


@pytest.mark.parametrize(
    "hostile",
    [
        '<img src=x onerror="alert(1)">',
        "<a href='javascript:alert(1)' onclick='steal()'>link text</a>",
        "<scr<script>ipt>alert(1)</script>",
        "<!-- <script>alert(1)</script> -->",
        "<p\nclass='x'\n>",
        "<div><span>unclosed",
    ],
)
def test_no_markup_survives(hostile):
    text = html_to_text(f"before {hostile} after")
    assert text.startswith("before") and text.endswith("after")
    assert "<script" not in text and "<p" not in text and "<img" not in text
    assert "onerror" not in text and "onclick" not in text and "javascript" not in text


def test_entities_are_unescaped_once():
    assert html_to_text("Fish &amp; chips &lt;b&gt; caf&eacute; &#8212;&nbsp;ok") == (
        "Fish & chips <b> café — ok"
    )


def test_blank_lines_and_spaces_collapse():
    assert html_to_text("<p>a</p>\n\n\n<p></p><div>  </div><p>b   c\t d</p>") == "a\n\nb c d"


def test_characters_a_database_cannot_hold_are_dropped():
    assert html_to_text("a\x00b\x01c\ud800d &#12;e") == "abcd e"


def test_empty_input_gives_empty_text():
    assert html_to_text("") == ""
    assert html_to_text("<p> </p><script>x</script>") == ""


def test_plain_text_keeps_what_looks_like_markup_as_text():
    assert clean_text("x < y &amp; <b>z</b>\n\n\n\nnext  line\x00") == (
        "x < y &amp; <b>z</b>\n\nnext line"
    )


def test_a_title_is_one_line_within_its_limit():
    title = html_to_line("<h1>Reflections on\n<em>supervision</em></h1><p>and more words</p>", 30)
    assert title == "Reflections on supervision…"
    assert len(title) <= 30


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    assert shorten("short", 10) == "short"
    assert shorten("strengths based practice today", 20) == "strengths based…"
    # A single long word is cut inside the word rather than losing nearly everything.
    assert shorten("a" * 50, 10) == "a" * 9 + "…"


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_string_gives_storable_text(value):
    text = html_to_text(value)
    assert "\x00" not in text
    assert not any("\ud800" <= ch <= "\udfff" for ch in text)
    assert text == text.strip()
    assert "\n\n\n" not in text


_words = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
    ),
    min_size=1,
).filter(str.strip)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["p", "b", "span", "h3", "div", "td"]), _words)))
def test_escaped_text_in_any_markup_comes_back_as_its_words(parts):
    markup = "".join(
        f"<{tag} class='x' onclick='evil()'>{html.escape(words)}</{tag}><script>evil()</script>"
        for tag, words in parts
    )
    text = html_to_text(markup)
    assert "evil()" not in text
    assert "".join(text.split()) == "".join("".join(words.split()) for _, words in parts)


@settings(max_examples=100, deadline=None)
@given(st.text(), st.integers(min_value=2, max_value=300))
def test_a_line_never_exceeds_its_limit(value, limit):
    line = html_to_line(value, limit)
    assert len(line) <= limit
    assert "\n" not in line
