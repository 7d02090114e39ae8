"""The themes of a summary: phrases that recur across entries, counted without a model."""

from __future__ import annotations

import pytest

from portfolio.models import Entry
from summaries.themes import THEMES_SHOWN, phrases_in, recurring_themes


def entries(*reflections: str) -> list[Entry]:
    return [Entry(pk=n, what_learned=text) for n, text in enumerate(reflections, 1)]


def themes_of(*reflections: str) -> list[tuple[str, list[int]]]:
    return [(t.phrase, [e.pk for e in t.entries]) for t in recurring_themes(entries(*reflections))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One to three words, starting and ending with a word that carries meaning.
        (
            "The duty of care matters.",
            {"duty", "care", "matters", "care matters", "duty of care"},
        ),
        # Punctuation ends a clause; so does a number, and a line.
        ("Risk, capacity.", {"risk", "capacity"}),
        ("Section 117 aftercare", {"section", "aftercare"}),
        ("Reflective\npractice", {"reflective", "practice"}),
        # Only joining words may sit inside a phrase.
        ("people I work with", {"people", "work"}),
        # Hyphens and apostrophes inside a word keep it whole; curly ones count as straight.
        (
            "Strengths-based practice’s aims",
            {
                "strengths-based",
                "practice's",
                "aims",
                "strengths-based practice's",
                "practice's aims",
                "strengths-based practice's aims",
            },
        ),
        # Addresses and handles are not themes, and end a clause.
        (
            "Read https://example.org/care-act then emailed team@example.org and @SWSCmedia",
            {"read", "emailed"},
        ),
        ("It is what it is.", set()),
    ],
)
def test_phrases_in_a_text(text, expected):
    assert phrases_in(text) == expected


def test_a_phrase_needs_two_entries_and_a_single_word_three():
    assert themes_of(
        "Reflective supervision on Monday.",
        "Reflective supervision again.",
        "Capacity is hard.",
        "Capacity again.",
    ) == [("reflective supervision", [1, 2])]

    assert themes_of("Capacity is hard.", "Capacity again.", "More on capacity.") == [
        ("capacity", [1, 2, 3])
    ]


def test_phrases_come_first_then_the_most_entries_then_the_longer():
    found = themes_of(
        "Advocacy matters. Mental capacity act training.",
        "Advocacy matters. Mental capacity act review. Care plans.",
        "Advocacy matters. Care plans.",
        "Advocacy matters. Care plans.",
    )

    assert found == [
        ("advocacy matters", [1, 2, 3, 4]),
        ("care plans", [2, 3, 4]),
        # As many entries as "mental capacity" and "capacity act": the longer wins, and the
        # phrases inside it are left out.
        ("mental capacity act", [1, 2]),
    ]


def test_a_phrase_within_a_chosen_one_is_left_out_word_by_word():
    # "act" is inside "impact" as letters, not as a word: both stay.
    found = themes_of(
        "Impact statements. The act matters.",
        "Impact statements. The act applies.",
        "Impact statements. An act again.",
    )

    assert [phrase for phrase, _ in found] == ["impact statements", "act"]


def test_at_most_eight_themes():
    words = [f"theme{letter} practice" for letter in "abcdefghijk"]
    sentence = ". ".join(words)

    assert len(themes_of(sentence, sentence)) == THEMES_SHOWN


def test_a_phrase_is_shown_as_its_writer_writes_it():
    found = dict(
        themes_of(
            "The Mental Capacity Act applies. Strengths-based supervision helps.",
            "Mental Capacity Act again. I tried strengths-based supervision.",
            "Read about the mental capacity act.",
        )
    )

    # Written in lower case once: a common phrase, shown in lower case.
    assert "mental capacity act" in found
    assert "strengths-based supervision" in found

    found = dict(
        themes_of(
            "The Mental Capacity Act applies. Care plans matter.",
            "Mental Capacity Act again. Care plans again.",
        )
    )
    # Never in lower case: a name, kept as written. A capital starting a sentence is not.
    assert set(found) == {"Mental Capacity Act", "care plans"}
