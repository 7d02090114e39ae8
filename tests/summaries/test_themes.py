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
        ("Safeguarding\nsupervision", {"safeguarding", "supervision"}),
        # Only joining words may sit inside a phrase.
        ("carers I meet with", {"carers", "meet"}),
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
            {"emailed"},
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

    # Written in lower case once: a common phrase, shown in lower case; but legislation is a
    # name, shown as one however it is written.
    assert "Mental Capacity Act" in found
    assert "strengths-based supervision" in found

    found = dict(
        themes_of(
            "The Mental Capacity Act applies. Care plans matter.",
            "Mental Capacity Act again. Care plans again.",
        )
    )
    # Never in lower case: a name, kept as written. A capital starting a sentence is not.
    assert set(found) == {"Mental Capacity Act", "care plans"}
    found = dict(themes_of("Reflective Supervision helps.", "Reflective Supervision again."))
    assert set(found) == {"Reflective Supervision"}


# A practitioner's year, as people in the seeds write it: live chats, blogs, the law.
REALISTIC_YEAR = (
    "Joined the #SWSCmedia chat about professional boundaries on Twitter. We talked about "
    "professional boundaries online and whether to use a pseudonym. The Mental Capacity Act "
    "2005 came up: a chat about professional curiosity too.",
    "Read a blog on the Mental Capacity Act and best interests decisions. It was a useful "
    "read for my social work practice; best interests decisions are hard when families "
    "disagree.",
    "Webinar on the Care Act 2014 and carers' assessments. I learned how the Care Act "
    "eligibility criteria apply to carers' assessments, and shared it with the team.",
    "Group supervision: we discussed professional boundaries with a family I know through "
    "social media, and the mental capacity act again. Really helpful and important.",
    "Attended a workshop on carers' assessments under the Care Act. Professional curiosity "
    "about what carers do not say. A good chat about professional practice.",
    "Watched a webinar on social work practice with adults who self-neglect: useful, and "
    "reflective. Attended webinar notes shared with the team.",
    "Attended webinar on hoarding and self-neglect. Useful for my social work practice.",
)


def test_realistic_entries_give_themes_that_read_as_themes():
    found = dict(themes_of(*REALISTIC_YEAR))

    # Named legislation whole, with its year where she gives one, however it is written.
    assert found["Mental Capacity Act 2005"] == [1, 2, 4]
    assert found["Care Act 2014"] == [3, 5]
    # Noun phrases that recur.
    assert found["professional boundaries"] == [1, 4]
    assert found["professional curiosity"] == [1, 5]
    assert "carers assessments" in found
    # No fragments ending in an adjective or a preposition, no verbs opening a phrase, and
    # nothing every social worker writes.
    phrases = set(found)
    for bad in [
        "chat about professional",
        "professional",
        "chat about",
        "social work",
        "practice",
        "mental capacity",
        "capacity act",
        "care act",
        "act",
        "useful",
        "helpful",
        "attended workshop",
        "attended webinar",
        "social work practice",
        "webinar",
    ]:
        assert bad not in {p.lower() for p in phrases}, bad
    assert all(p.lower().split()[-1] not in {"about", "of", "with", "on"} for p in phrases)
