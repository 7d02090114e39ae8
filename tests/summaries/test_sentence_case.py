"""Titles and specialisms set into a generated sentence read in sentence case; names keep
their capitals."""

from __future__ import annotations

import pytest

from summaries.sentence_case import mid_sentence


@pytest.mark.parametrize(
    ("written", "in_a_sentence"),
    [
        ("Reflective supervision with my manager", "reflective supervision with my manager"),
        ("Adult mental health", "adult mental health"),
        ("Live chat on self-neglect", "live chat on self-neglect"),
        ("Wales's new CPD rules", "Wales's new CPD rules"),  # a place
        ("AMHP refresher", "AMHP refresher"),  # an acronym
        ("PCF6 and critical reflection", "PCF6 and critical reflection"),
        ("X/Twitter chat on boundaries", "X/Twitter chat on boundaries"),
        ("LinkedIn post on anti-racist practice", "LinkedIn post on anti-racist practice"),
        ("Care Act 2014 refresher", "Care Act 2014 refresher"),  # legislation
        ("Mental Capacity Act assessments", "Mental Capacity Act assessments"),
        ("Community Care's Inform site", "Community Care's Inform site"),  # an organisation
        ("Social Work England standards", "Social Work England standards"),
        ("Tuesday's #SWSCmedia chat", "Tuesday's #SWSCmedia chat"),
        ("I joined a webinar", "I joined a webinar"),
        ("#SWSCmedia: anonymity online", "#SWSCmedia: anonymity online"),
        ("already lower case", "already lower case"),
        ("", ""),
    ],
)
def test_a_title_mid_sentence(written, in_a_sentence):
    assert mid_sentence(written) == in_a_sentence
