"""Warn when a reflection looks like it names details of a person who uses services.

Social Work England expects CPD records to be anonymised. This module only *detects*: the form
shows the findings and the social worker edits or confirms. So each rule leans towards fewer false
alarms on the way social workers actually write (PCF codes, section numbers, chat times, hashtags),
because a warning that fires on every entry soon gets ignored.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str  # "nhs_number", "postcode", "date_of_birth", "phone_number" or "email"
    label: str  # wording for the warning shown to the user
    field: str  # key of the text it was found in
    excerpt: str  # the matched text exactly as typed
    start: int
    end: int


LABELS = {
    "nhs_number": "NHS number",
    "postcode": "UK postcode",
    "date_of_birth": "date of birth",
    "phone_number": "phone number",
    "email": "email address",
}

# Which kind wins when two matches of the same length overlap: an NHS number passed a checksum,
# so it is more specific than the phone pattern that a 10-digit number starting 01 also fits.
_PRIORITY = ("nhs_number", "email", "date_of_birth", "postcode", "phone_number")

# Ten digits, either run together or grouped 3-3-4 with the same single separator twice, as the
# NHS prints them. The lookarounds stop us picking ten digits out of a longer number.
_NHS_SHAPE = r"\d{3}([ -]?)\d{3}\1\d{4}"
_NHS_NUMBER = re.compile(rf"(?<!\d){_NHS_SHAPE}(?!\d)")

# Full postcodes only, in the official shape: an outward code (A9, A99, AA9, AA99, A9A, AA9A, with
# the letters each position may hold) then an inward code (digit + two letters, never C I K M O V).
# A lone outward code ("B12", "M1") is a district, not an address, and is how "PCF2", "S117" and
# road names look, so it is not reported. The negative lookahead drops lowercase ordinals and
# units that happen to fit the inward shape: "Y1 1st", "B12 3rd", "M6 2hr", "A1 6ft".
_POSTCODE = re.compile(
    r"""
    \b
    [A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)  # outward code
    \x20?
    (?!(?-i:\d(?:st|nd|rd|th|hr|yr|ft)\b))
    \d[ABD-HJLNP-UW-Z]{2}                                          # inward code
    \b
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Dates in the forms people type: 12/03/1987, 12-03-87, 12.03.1987, 1987-03-12, 12 March 1987,
# 12th of Mar. 1987, March 12, 1987. Month-name dates need a four-digit year so that a bare
# "12 March" (a meeting, a chat) stays out. Whether a date is a *birth* date is decided by the
# cue in front of it, below.
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_MONTH_NUMBER = r"(?:1[0-2]|0?[1-9])"
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DATE = re.compile(
    rf"""
    (?<!\d){_DAY}([/.-]){_MONTH_NUMBER}\1(?:\d{{4}}|\d{{2}})(?!\d)
    | (?<!\d)\d{{4}}([/-]){_MONTH_NUMBER}\2{_DAY}(?!\d)
    | \b{_DAY}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH_NAME},?\s+\d{{4}}\b
    | \b{_MONTH_NAME}\s+{_DAY}(?:st|nd|rd|th)?,?\s+\d{{4}}\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

# A date counts as a date of birth only when a cue ends at most three words before it, in the same
# sentence ("DOB:", "born in Leeds on", "date of birth is"). Three words keeps "born out of the
# chat on 29 November 2011" out. "b." is only a cue when lowercase and directly before the date,
# because "(b)." and "Plan B." start ordinary sentences.
_DOB_CUE_BEFORE = re.compile(
    r"""
    (?:
        (?:\bd\.?\s?o\.?\s?b\b\.? | \bdate\s+of\s+birth\b | \bborn\b | \bbirthday\b)
        (?:[^\w.!?]+[^\W\d_]+){0,3}[^\w.!?]*
    | (?<!\S)(?-i:b\.)\s*
    )$
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DOB_CUE_WINDOW = 80  # characters before a date worth searching for its cue
# "dob", "d.o.b", "d o b" anywhere: with the plain words below, a quick test of whether a text
# could hold any of the cues above.
_DOB_ABBREVIATION = re.compile(r"d\.?\s?o\.?\s?b")


def _may_cue_a_birth_date(text: str) -> bool:
    lowered = text.lower()
    return (
        "birth" in lowered
        or "born" in lowered
        or "b." in text
        or _DOB_ABBREVIATION.search(lowered) is not None
    )


# UK numbers written the usual ways: a 0 trunk prefix (or "+44", "+44 (0)", or "(0" for "(020)")
# then mobile 07xxx xxxxxx, London-style 02x xxxx xxxx, 0113/0300 xxx xxxx, or 01xxx xxxxxx.
# Requiring the leading 0/+44 and these groupings is what keeps years ("2011-2012"), times,
# section and registration numbers, "111" and "999" out; dates fail because "/" and "." are not
# accepted as separators.
_PHONE = re.compile(
    r"""
    (?<![\w+])
    (?:\+44\x20?(?:\(0\)\x20?)? | \(?0)
    (?:
        7\d{3}[\x20-]?\d{3}[\x20-]?\d{3}           # mobile: 07700 900123, 07700 900 123
      | 2\d\)?[\x20-]?\d{4}[\x20-]?\d{4}           # 020 7946 0000, (020) 7946 0000
      | [13]\d{2}\)?[\x20-]?\d{3}[\x20-]?\d{4}     # 0113 496 0000, 0300 123 4567
      | 1\d{3}\)?[\x20-]?(?:\d{3}[\x20-]?\d{3}|\d{5})  # 01632 960 123, 01632 96012
    )
    (?!\d)
    """,
    re.VERBOSE,
)

# Ordinary addresses: the part before "@" must be present, which is what separates an address from
# a Twitter handle ("@SWSCmedia"), and the domain must end in a dotted top-level domain.
_EMAIL = re.compile(r"[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")


def is_valid_nhs_number(number: str) -> bool:
    """Whether `number` is shaped like an NHS number and its modulus 11 check digit is right."""
    match = re.fullmatch(_NHS_SHAPE, number.strip())
    if match is None:
        return False
    digits = [int(char) for char in match.group() if char.isdigit()]
    # A repeated digit ("000 000 0000") passes the checksum but is a placeholder, never issued.
    if len(set(digits)) == 1:
        return False
    total = sum(digit * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def _candidates(text: str) -> list[tuple[str, re.Match[str]]]:
    found: list[tuple[str, re.Match[str]]] = []
    found += [("nhs_number", m) for m in _NHS_NUMBER.finditer(text) if is_valid_nhs_number(m[0])]
    found += [("postcode", m) for m in _POSTCODE.finditer(text)]
    # The date and email patterns are the slow ones (tried at every word); a text with no cue
    # for a birth date, or no "@", cannot match them, and most texts have neither. This keeps
    # checking an imported archive of thousands of posts to a second or so.
    if _may_cue_a_birth_date(text):
        found += [
            ("date_of_birth", m)
            for m in _DATE.finditer(text)
            if _DOB_CUE_BEFORE.search(text, max(0, m.start() - _DOB_CUE_WINDOW), m.start())
        ]
    found += [("phone_number", m) for m in _PHONE.finditer(text)]
    if "@" in text:
        found += [("email", m) for m in _EMAIL.finditer(text)]
    return found


def find_identifying_details(texts: Mapping[str, str]) -> list[Finding]:
    """Findings in each text, in the mapping's field order and then by position.

    Each stretch of text is reported at most once: where matches overlap, the longer one wins (an
    email address that contains an NHS number, "+44 113 ..." over the ten digits after it), and on
    equal length the more specific kind in `_PRIORITY` wins.
    """
    findings: list[Finding] = []
    for field, text in texts.items():
        if not text:
            continue
        candidates = sorted(
            _candidates(text),
            key=lambda c: (c[1].start() - c[1].end(), _PRIORITY.index(c[0]), c[1].start()),
        )
        kept: list[Finding] = []
        for kind, match in candidates:
            if any(match.start() < f.end and f.start < match.end() for f in kept):
                continue
            kept.append(Finding(kind, LABELS[kind], field, match[0], match.start(), match.end()))
        findings += sorted(kept, key=lambda f: f.start)
    return findings
