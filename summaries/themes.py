"""The themes a practitioner's reflections keep returning to: the words and short phrases that
recur across her entries.

A theme is a phrase of one to three words that begins and ends with a word that carries meaning
(not a stop word such as "the" or "would"; a joining word may sit between them, as in "duty of
care"), within one clause, and that is written in several entries: two for a phrase, three
for a single word (weaker evidence of a theme). They are counted by plain n-gram counting over
the entries, a few milliseconds for a year's log: a summary is generated for every practitioner
every night their entries change, so it must be cheap, and it must need nothing to download.

A theme must read as one: a phrase that ends in an adjective ("chat about professional") or
starts with a reflection's verb ("attended webinar") is a fragment, and the words every social
worker writes ("social work", "practice") are not her themes. Named legislation is kept whole,
with its year when she writes one ("Mental Capacity Act 2005"), and counted as one theme
however she writes it.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portfolio.models import Entry

THEMES_SHOWN = 8
PHRASE_THEME_ENTRIES = 2
SINGLE_WORD_THEME_ENTRIES = 3
REFLECTION_FIELDS = ("what_happened", "what_learned", "impact", "peer_learning")

# Words that carry no theme of their own: English function words, and the verbs and adverbs
# any reflection is written with ("I learned", "I will now").
STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against ago all almost alone along already also
    although always am among an and another any anyone anything anyway anywhere are aren't
    around as ask asked asking at away back be became because become becomes becoming been
    before began begin being below beside besides best better between beyond both brief but by
    came can can't cannot come comes could couldn't day days did didn't do does doesn't doing
    don't done down during each eg either else elsewhere enough especially etc even ever every
    everyone everything everywhere example except far feel feeling felt few find first for found
    from further gave get gets getting give given gives go goes going gone got great had hadn't
    has hasn't have haven't having he he'd he's hence her here hers herself him himself his how
    however i i'd i'll i'm i've ie if in indeed instead into is isn't it it's its itself just
    keep kept know knew last later least less let like likely lot lots made make makes making
    many may maybe me mean meant might mine more moreover most mostly much must my myself near
    need needed needs never new next no nobody none nor not nothing now of off often on once one
    ones only onto or other others otherwise our ours ourselves out over own part per perhaps
    put quite rather really said same saw say says see seem seemed seems seen several shall she
    she's should shouldn't show showed since so some somehow someone something sometimes
    somewhere soon still such sure take taken takes taking than that that's the their theirs
    them themselves then there there's therefore these they they'd they're they've thing things
    think this those though thought through throughout thus to today together too took toward
    towards tried try trying two under unless until up upon us use used uses using usually very
    via want wanted was wasn't way we we'd we'll we're we've week weeks well went were weren't
    what what's whatever when whenever where whereas wherever whether which while who whoever
    whole whom whose why will with within without won't worked would wouldn't year years
    yes yet you you'd you'll you're you've your yours yourself yourselves learn learned learning
    learnt realise realised realize realized reflect reflected noticed understand understood
    """.replace("’", "'").split()
)

# The stop words a phrase may hold between two theme words: "duty of care", "risk and
# resilience"; not "people I work".
JOINING_WORDS = frozenset(
    {"and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "to", "with"}
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a theme does not end with: adjectives, which leave a phrase hanging ("chat about
# professional"). Those with an adjective's ending (ADJECTIVE_ENDINGS) are caught by it, but
# for the nouns with the same ending (NOUNS_LIKE_ADJECTIVES).
ADJECTIVES = _words(
    """
    able active actual bad big clear common complex current different difficult due early easy
    effective essential fair fine full general good hard helpful high huge important interesting
    key large late little live local long low main major minor national new nice old online open
    other poor positive possible potential present previous real recent relevant right safe
    short similar simple small specific strong true useful valuable various whole wide wrong
    """
)
ADJECTIVE_ENDINGS = ("al", "ive", "ful", "ous", "ic", "able", "ible", "less", "ish")
NOUNS_LIKE_ADJECTIVES = _words(
    """
    appraisal approval arrival capital clinic criminal detective directive disposal festival
    hospital individual initiative journal logic manual narrative objective panic perspective
    portal principal proposal referral relative removal renewal representative signal survival
    table topic tribunal variable withdrawal
    """
)
# Verbs a reflection opens a phrase with: what she did, not what it was about.
OPENING_VERBS = _words(
    """
    attended chatted discussed explored followed joined listened posted read reflected shared
    spoke talked tweeted watched wrote
    """
)
# What every social worker writes about, and the kinds of activity themselves: true of any
# log, so no one's theme.
GENERIC_THEMES = _words(
    """
    blog blogs chat chats colleague colleagues course cpd experience help information job
    people person practice practitioner practitioners professional role service services
    session sessions social team time training webinar webinars work worker workers workshop
    """
) | {
    "service user",
    "service users",
}

# Named legislation: capitalised words ending in "Act" or "Regulations", with the year when
# written ("the Children and Families Act 2014"). Found on the text as written; see
# _legislation_named (and summaries/sentence_case.py, which keeps its capitals).
LEGISLATION = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+(?:(?:and|of|for|on)\s+)?){1,5}(?:Act|Regulations))"
    r"(?:\s+((?:19|20)\d\d))?\b"
)

# What ends a clause: a line, punctuation but the hyphens and apostrophes inside words, and
# digits; each becomes a line break. Web and email addresses and handles are taken out first
# (_ADDRESS), where a text has any.
_CLAUSE_BREAKS = str.maketrans(
    dict.fromkeys(
        string.digits
        + string.punctuation.replace("'", "").replace("-", "")
        + "“”‘«»‹›–—―…•·¡¿§¶†‡¦",
        "\n",
    )
)
_ADDRESS = re.compile(r"https?://\S*|www\.\S*|\S+@\S+|@\w+")
# The profession's own name, in every reflection: it ends a clause, so that neither it nor
# what it leaves behind ("work practice") is taken for a theme.
_PROFESSION = re.compile(r"\bsocial[ -]work(?:ers?|ing)?\b")


@dataclass(frozen=True)
class Theme:
    phrase: str
    entries: list[Entry]


def reflection_text(entry: Entry) -> str:
    return "\n".join(
        text for text in (getattr(entry, name) for name in REFLECTION_FIELDS) if text.strip()
    )


def phrases_in(text: str) -> set[str]:
    """Every candidate theme in ``text``, in lower case: each run of one to three words within
    a clause that starts and ends with a theme word (not a stop word, longer than two letters),
    with a theme word or a joining word between."""
    text = text.lower().replace("’", "'")
    if "@" in text or "://" in text or "www." in text:
        text = _ADDRESS.sub(".", text)
    if "social" in text:
        text = _PROFESSION.sub(".", text)
    found: set[str] = set()
    add = found.add
    for clause in text.translate(_CLAUSE_BREAKS).split("\n"):
        words = [word.strip("'-") for word in clause.split()]
        if not words:
            continue
        themed = [len(word) > 2 and word not in STOP_WORDS for word in words]
        # Whether a phrase may start or end at each word (see reads_as_theme).
        opens = [t and word not in OPENING_VERBS for t, word in zip(themed, words, strict=True)]
        closes = [t and not _is_adjective(word) for t, word in zip(themed, words, strict=True)]
        last = len(words) - 1
        for position, word in enumerate(words):
            if not themed[position]:
                continue
            if opens[position] and closes[position]:
                add(word)
            if position < last and opens[position]:
                following = words[position + 1]
                if closes[position + 1]:
                    add(f"{word} {following}")
                if (
                    position + 1 < last
                    and closes[position + 2]
                    and (themed[position + 1] or following in JOINING_WORDS)
                ):
                    add(f"{word} {following} {words[position + 2]}")
    return found - GENERIC_THEMES


def _is_adjective(word: str) -> bool:
    return word in ADJECTIVES or (
        word.endswith(ADJECTIVE_ENDINGS) and word not in NOUNS_LIKE_ADJECTIVES
    )


def _legislation_named(texts: Sequence[str]) -> dict[str, str]:
    """The legislation named in ``texts``, each by its name in lower case without "the" or a
    year, mapped to the name as it is best shown: as written with a capital, with its year when
    any text gives one ("mental capacity act" -> "Mental Capacity Act 2005")."""
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        if "Act" not in text and "Regulations" not in text:
            continue
        for match in LEGISLATION.finditer(text):
            name = re.sub(r"^(?:The|This|That|Under|In|About|On|Read|Reading)\s+", "", match[1])
            name = " ".join(name.split())
            written[name.lower()][f"{name} {match[2]}" if match[2] else name] += 1
    return {
        key: max(forms, key=lambda form: (form[-4:].isdigit(), forms[form]))
        for key, forms in written.items()
        if " " in key  # "Act" alone is not a name
    }


def _legislation_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Any of ``names`` in any case, with "the" before it and a year after it if written."""
    if not names:
        return None
    alternatives = "|".join(
        r"\s+".join(map(re.escape, name.split())) for name in sorted(names, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\w'’-])(?:the\s+)?({alternatives})(?:\s+(?:19|20)\d\d)?(?![\w'’-])",
        re.IGNORECASE,
    )


def recurring_themes(entries: Sequence[Entry]) -> list[Theme]:
    """The phrases that recur across ``entries`` (a phrase of two or three words in at least
    two, a single word in at least three): phrases first, then by how many entries they recur
    in, then the longer, then the first written. A phrase inside one already chosen (or the
    other way round) is left out; at most THEMES_SHOWN."""
    texts = [reflection_text(entry) for entry in entries]
    # Legislation is counted whole, however it is written, and taken out of the text so that
    # its fragments ("capacity act") do not count again.
    legislation = _legislation_named(texts)
    named = _legislation_pattern(legislation)
    phrase_sets = []
    for text in texts:
        laws = {match[1].lower() for match in named.finditer(text)} if named else set()
        if laws:
            text = named.sub("\n", text)
        phrase_sets.append({" ".join(law.split()) for law in laws} | phrases_in(text))
    entries_with: Counter[str] = Counter()
    for phrases in phrase_sets:
        entries_with.update(phrases)
    first_seen = {phrase: n for n, phrase in enumerate(entries_with)}  # insertion order
    candidates = [
        (phrase, count)
        for phrase, count in entries_with.items()
        if count >= (SINGLE_WORD_THEME_ENTRIES if " " not in phrase else PHRASE_THEME_ENTRIES)
    ]
    # Among equals, the first written comes first (entries are in date order).
    candidates.sort(key=lambda c: (" " not in c[0], -c[1], -c[0].count(" "), first_seen[c[0]]))
    chosen: list[str] = []
    for phrase, _ in candidates:
        padded = f" {phrase} "
        if not any(padded in f" {kept} " or f" {kept} " in padded for kept in chosen):
            chosen.append(phrase)
            if len(chosen) == THEMES_SHOWN:
                break
    themes = []
    for phrase in chosen:
        found = [position for position, phrases in enumerate(phrase_sets) if phrase in phrases]
        shown = legislation.get(phrase) or _as_written(phrase, [texts[p] for p in found])
        themes.append(Theme(shown, [entries[p] for p in found]))
    return themes


def _as_written(phrase: str, texts: Iterable[str]) -> str:
    """``phrase`` as its writer writes it: in lower case when she ever does (but perhaps for
    its first letter), otherwise as she writes it most often ("Mental Capacity Act", "PCF")."""
    spelled = r"\s+".join(re.escape(word).replace("'", "['’]") for word in phrase.split())
    pattern = re.compile(rf"(?<![\w'’-]){spelled}(?![\w'’-])", re.IGNORECASE)
    written = Counter(
        " ".join(match[0].split()) for text in texts for match in pattern.finditer(text)
    )
    # A capital that only starts a sentence does not count.
    if not written or any(form[1:] == form[1:].lower() for form in written):
        return phrase
    return written.most_common(1)[0][0]
