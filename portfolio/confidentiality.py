"""Warn when a reflection looks like it names details of a person who uses services.

Social Work England expects CPD records to be anonymised. This module only *detects*: the form,
the API, imports and capture all ask it, show the findings, and the social worker edits or
confirms. So each rule leans towards fewer false alarms on the way social workers actually write
(PCF codes, section numbers, chat times, hashtags, legislation, cited authors), because a warning
that fires on every entry soon gets ignored. tests/portfolio/confidentiality_corpus.jsonl holds
sentences labelled by hand; its test prints how often these rules catch a person and how often
they cry wolf.

Two sorts of finding: identifiers that follow a fixed shape (an NHS number, a postcode, a date of
birth, a phone number, an email address) are nearly always what they look like, so an entry that
holds one is not saved until the user confirms it. Names and addresses are read from capital
letters and a list of first names, and a quoted author or a named inquiry can look the same, so
they are warnings only: shown while typing and again on save, never a reason to refuse it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of LABELS
    label: str  # wording for the warning shown to the user
    field: str  # key of the text it was found in
    excerpt: str  # the matched text exactly as typed
    start: int
    end: int

    @property
    def needs_confirmation(self) -> bool:
        """Whether an entry holding this may only be saved once the user confirms it."""
        return self.kind in CONFIRMED_KINDS


LABELS = {
    "nhs_number": "NHS number",
    "postcode": "UK postcode",
    "date_of_birth": "date of birth",
    "phone_number": "phone number",
    "email": "email address",
    "titled_name": "name with a title",
    "full_name": "person's full name",
    "first_name": "first name",
    "street_address": "house number and street",
}
# The fixed-shape identifiers; see the module's docstring.
CONFIRMED_KINDS = frozenset({"nhs_number", "postcode", "date_of_birth", "phone_number", "email"})

# Which kind wins when two matches of the same length overlap: an NHS number passed a checksum,
# so it is more specific than the phone pattern that a 10-digit number starting 01 also fits.
_PRIORITY = (
    "nhs_number",
    "email",
    "date_of_birth",
    "postcode",
    "phone_number",
    "street_address",
    "titled_name",
    "full_name",
    "first_name",
)

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


# --- Names and addresses ------------------------------------------------------------------------

# First names come from the person providers that ship inside Faker (MIT; pinned in
# requirements.txt): census- and registry-based lists for the English-speaking locales and for
# the languages most spoken in English social work caseloads besides English. Read from the
# installed package when first needed; nothing is fetched.
_FIRST_NAME_LOCALES = (
    "en_GB", "en_IE", "en_US", "en_NZ", "en_IN", "en_PK", "en_KE", "en_NG",
    "pl_PL", "ro_RO", "yo_NG", "ig_NG", "ha_NG", "tw_GH",
)  # fmt: skip

# First names that are also ordinary words, months or places: "Grace under pressure", "Will I
# use this?", "Victoria Park", "April was busy", "Brent Council". One of these counts only when
# a known surname follows it ("Grace Thompson", "Will Parker"). Checked against Faker's own
# English word list and a list of English council names.
_NAMES_THAT_ARE_WORDS_TEXT = """
    Abel Adam Albert Amber Angel April Archer Art Ash Ashley Ashton August Aurora Austin Autumn
    Bill Blessing Bob Brent Brook Brooke Brooklyn Carmen Carol Carolina Carter Charity Chase
    Chelsea Chester Clay Cliff Cole Comfort Constance Cooper Crystal Daisy Dakota Dale Dawn Dean
    Destiny Devon Don Dove Drew Duke Earl Ebony Eve Faith Fern Florence Forum Frank Gene Georgia
    Gift Ginger Glen Grace Grant Gray Grey Guy Harley Harmony Hazel Heath Heather Holly Honey Hope
    Hunter India Innocent Iris Israel Ivy Jack Jade Jan Jasmine Jay Jewel Job Jordan Joy June
    Justice Ken Kent Kerry King Kingston Lane Liberty Lily Lincoln Lucky Luna Madison Major Mark
    Marshall Mason May Melody Mercy Miles Milton Misty Norman Olive Paris Parker Patience Peace
    Pearl Penny Phoenix Poppy Precious Preston Prince Promise Raven Ray Reed Rich River Robin Rose
    Rowan Ruby Sandy Savannah Sky Skye Stanley Sterling Storm Summer Sunny Sydney Taylor Trinity
    Troy Victor Victoria Violet Virginia Wade Ward Warren Warwick Will Willow Winter Wisdom
"""
_NAMES_THAT_ARE_WORDS = frozenset(_NAMES_THAT_ARE_WORDS_TEXT.split())

# Words that, after a name, show it is the name of an organisation, a place, an award or a
# document rather than of a person: "Anna Freud Centre", "Oliver McGowan Mandatory Training".
_NOT_A_PERSON_AFTER_TEXT = """
    Academy Act Award Avenue Centre Center Clinic College Court Foundation Fund Group Hall House
    Hospital Inquiry Institute Lane Law Lecture Memorial Model Park Prize Programme Program Report
    Review Road School Society Square Street Training Trust Unit University Way
"""
_NOT_A_PERSON_AFTER = frozenset(_NOT_A_PERSON_AFTER_TEXT.split())

# A capitalised word as names are written: "Jones", "O'Neil", "D'Souza", "McGowan", "MacDonald",
# "Smith-Jones", "Brené".
_CAPITALISED = r"(?:Mc|Mac|O['’]|D['’])?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"
# The lookaheads on a first capital (or digit) let these patterns give up at once at most
# positions of a text, which keeps checking an archive of thousands of posts quick.
_NAME_WORD = re.compile(rf"(?=[A-ZÀ-ÖØ-Þ])(?<![\w@#/.'’-]){_CAPITALISED}(?![\w'’-]|['’][a-rt-z])")
# A name word and the one to three capitalised words after it: "Jamie Lee Hart".
_FULL_NAME = re.compile(rf"{_CAPITALISED}(?:\x20{_CAPITALISED}(?![\w-])){{1,3}}")

# A title then a surname or an initial: "Mrs Jones", "Mr A.", "Ms O'Neil", "Dr.Smith". A doctor
# may be the person's GP, so "Dr" counts like the others unless the name is cited (below).
# "Professor", "Lord" and "Sir" are left out: in CPD writing they introduce authors and reports.
_TITLED_NAME = re.compile(
    rf"(?=[MD])(?<![\w@#])(?:Mrs|Mr|Ms|Miss|Mx|Dr)\b\.?\x20?"
    rf"(?:{_CAPITALISED}(?:\x20{_CAPITALISED})?(?![\w-])|[A-Z](?:\.|(?![\w'’])))"
)

# What around a name says that it is an author, a speaker or a public inquiry being cited,
# rather than a person worked with: a year ("Munro (2011)", "Ferguson, 2016", "Smith and Jones
# (2019)"), their work ("Brené Brown's talk", "the Ruby Wax talk"), a verb of writing ("Martin
# Webber has written"), or "by" / "Professor" / "Lord" in front.
_CITED_WORK = (
    r"(?:book|article|paper|papers|blog|post|talk|TED|lecture|keynote|podcast|review|report"
    r"|research|theory|model|cycle|framework|idea|ideas|study|work|writing|inquiry|hierarchy"
    r"|case\x20study)\b"
)
_CITED_AFTER = re.compile(
    rf"""
    (?:['’]s?)?\x20?(?:
        (?:et\x20al\.?\x20?)?[,(]?\x20?(?:19|20)\d\d\b
      | (?:and|&)\x20{_CAPITALISED}\x20?\(?(?:19|20)\d\d\b
      | (?:\w+\x20)?{_CITED_WORK}
    )
    | \x20(?:has\x20written|wrote|writes|argues|argued|suggests|suggested|describes|described
           |observes|observed|proposes|proposed|notes|reminds\x20us)\b
    """,
    re.VERBOSE,
)
_CITED_BEFORE = re.compile(
    r"(?:\bby|\bProfessor|\bProf\.?|\bLord|\bLady|\bSir|\bDame|\bBaroness)\x20$"
)
_CITED_BEFORE_WINDOW = 12  # characters: enough for "Professor "

# A house number then a street ("14 Acacia Road", "22b High St", "3/2 Gordon Terrace", "10
# Kingsway"), or a flat before it ("Flat 2, 9 Mill Lane", "Flat 14, Priory Court"). The street
# type must follow one to three capitalised words, which keeps "200 Road Safety leaflets" and "5
# Ways to Wellbeing" out; house numbers have at most three digits, which keeps years out.
_STREET_TYPE = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Way|Crescent|Cres|Grove|Gardens"
    r"|Gdns|Terrace|Place|Court|Ct|Walk|Mews|Row|Square|Sq|Hill|View|Park|Green|Rise|Parade|Vale"
    r"|Croft|Fold|Gate|Wharf|Yard|Boulevard|Chase|Meadows?|Heights|Bank|Fields?|Orchard)"
)
_FLAT = r"(?:Flat|Apartment|Apt|Unit)\x20\d{1,4}[A-Za-z]?,?\x20"
_STREET_ADDRESS = re.compile(
    rf"""
    (?=[\dFAU])
    (?:{_FLAT})?
    (?<![\w/.,£$:-])\d{{1,3}}[A-Za-z]?(?:/\d{{1,3}})?,?\x20
    (?:(?:{_CAPITALISED}\x20){{1,3}}{_STREET_TYPE}\b | [A-Z][a-z]+way\b)
    | {_FLAT}(?:{_CAPITALISED}\x20){{1,3}}{_STREET_TYPE}\b
    """,
    re.VERBOSE,
)


@cache
def first_names() -> frozenset[str]:
    """First names known to the check, as written ("Aisha", "Kacper")."""
    from importlib import import_module

    names: set[str] = set()
    for locale in _FIRST_NAME_LOCALES:
        provider = import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names_male", "first_names_female", "first_names_nonbinary"):
            names.update(getattr(provider, attribute, ()) or ())
    return frozenset(name for name in names if name.replace("-", "").isalpha())


@cache
def surnames() -> frozenset[str]:
    """Surnames known to the check: what makes "Grace Thompson" a person and "Grace
    periods" not."""
    from importlib import import_module

    names: set[str] = set()
    for locale in _FIRST_NAME_LOCALES:
        names.update(import_module(f"faker.providers.person.{locale}").Provider.last_names)
    return frozenset(names)


def _is_cited(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - _CITED_BEFORE_WINDOW) : start]
    return bool(_CITED_BEFORE.search(before) or _CITED_AFTER.match(text, end))


def _names(text: str) -> list[tuple[str, re.Match[str]]]:
    found: list[tuple[str, re.Match[str]]] = []
    titled = [m for m in _TITLED_NAME.finditer(text) if not _is_cited(text, m.start(), m.end())]
    found += [("titled_name", m) for m in titled]
    known = first_names()
    for word in _NAME_WORD.finditer(text):
        first = word[0]
        if first not in known or any(m.start() <= word.start() < m.end() for m in titled):
            continue
        full = _FULL_NAME.match(text, word.start())
        if full:
            rest = full[0].split()[1:]
            if any(w in _NOT_A_PERSON_AFTER for w in rest):
                continue
            if first in _NAMES_THAT_ARE_WORDS and rest[0] not in surnames():
                continue
            if not _is_cited(text, full.start(), full.end()):
                found.append(("full_name", full))
        elif first not in _NAMES_THAT_ARE_WORDS and not _is_cited(text, word.start(), word.end()):
            found.append(("first_name", word))
    return found


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
    found += [("street_address", m) for m in _STREET_ADDRESS.finditer(text)]
    found += _names(text)
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
