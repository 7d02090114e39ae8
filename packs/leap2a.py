"""Leap2A, the UK ePortfolio interchange format that Mahara and PebblePad read: an Atom feed in
which each CPD entry is a leap2:activity and each evidence file a leap2:resource whose content
is a file in the same ZIP. Written entry by entry, so a long portfolio streams."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone

from portfolio.models import Entry, Evidence
from regulators.profiles import Rule

from .regulator_section import decimal_hours, pip_credits

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories"
LEAP2A_VERSION = "http://www.leapspecs.org/2010-07/2A/"
# The headings of the reflection's sections in an entry's text, which the Leap2A importer reads
# back (imports/importers/leap2a.py).
WHAT_HAPPENED = "What happened"
WHAT_LEARNED = "What I learned"
IMPACT = "Impact on my practice and the people I work with"
PEER_DISCUSSION = "Peer discussion"
# Our own categories (Leap2A has no element for these), so the export reads back whole.
# A capability's scheme is CAPABILITY_SCHEME_PREFIX + its framework's slug + "#".
TYPE_SCHEME = "portfolio:activity-type#"
PLATFORM_SCHEME = "portfolio:platform#"
DURATION_SCHEME = "portfolio:duration-minutes#"
# Leap2A has no element for time spent or credits earned (leap2:date gives only when), so, as
# it suggests for anything it does not define, they are Atom categories of our own schemes, each
# with a label a person (or Mahara, which shows labels) can read: "1.5 hours". Both are worked
# out from the minutes above, so our importer reads the minutes and passes these over.
HOURS_SCHEME = "portfolio:hours#"
CREDITS_SCHEME = "portfolio:pip-credits#"
DERIVED_SCHEMES = (HOURS_SCHEME, CREDITS_SCHEME)
HASHTAG_SCHEME = "portfolio:hashtag#"
CAPABILITY_SCHEME_PREFIX = "portfolio:"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def leap2a_id(entry: Entry) -> str:
    return f"portfolio:activity{entry.pk}"


def evidence_entry_id(evidence: Evidence) -> str:
    return f"portfolio:evidence{evidence.pk}"


def write_leap2a(
    out: TextIO,
    *,
    evidence_pack_id: str,
    author: str,
    entries: Iterable[Entry],
    evidence_path,
    credits_rule: Rule | None = None,
) -> None:
    """Write the feed for ``entries`` (with capabilities, tags and evidence prefetched);
    ``evidence_path(evidence)`` is where each file lies in the ZIP; each entry's credits under
    ``credits_rule`` where the pack's regulator counts them."""
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="{ATOM}" xmlns:rdf="{RDF}" xmlns:leap2="{LEAP2}"'
        f' xmlns:categories="{CATEGORIES}/" xmlns:portfolio="urn:cpd-portal:{evidence_pack_id}:">\n'
        f"  <leap2:version>{LEAP2A_VERSION}</leap2:version>\n"
        f"  <id>urn:uuid:{evidence_pack_id}</id>\n"
        f"  <title>CPD portfolio of {_text(author)}</title>\n"
        f"  <author><name>{_text(author)}</name></author>\n"
        f"  <updated>{timezone.now().isoformat()}</updated>\n"
    )
    for entry in entries:
        out.write(_entry_as_leap2a(entry, credits_rule))
        for evidence in entry.evidence.all():
            out.write(_evidence_entry(entry, evidence, evidence_path(evidence)))
    out.write("</feed>\n")


def _measures(entry: Entry, credits_rule: Rule | None) -> list[str]:
    hours = decimal_hours(entry.duration_minutes)
    if hours is None:
        return []
    lines = [
        f'    <category term="{hours}" scheme="{HOURS_SCHEME}"'
        f' label="{hours} hour{"" if hours == 1 else "s"}"/>'
    ]
    if credits_rule:
        credits = pip_credits(credits_rule, entry)
        lines.append(
            f'    <category term="{credits}" scheme="{CREDITS_SCHEME}"'
            f" label={_attr(f'{credits} {credits_rule.label}')}/>"
        )
    return lines


def _entry_as_leap2a(entry: Entry, credits_rule: Rule | None = None) -> str:
    sections = [
        (WHAT_HAPPENED, entry.what_happened),
        (WHAT_LEARNED, entry.what_learned),
        (IMPACT, entry.impact),
    ]
    if entry.is_peer_reflected:
        peer = f"{PEER_DISCUSSION} ({entry.peer_role})" if entry.peer_role else PEER_DISCUSSION
        sections.append((peer, entry.peer_learning))
    content = "\n\n".join(f"{heading}:\n{text.strip()}" for heading, text in sections if text)
    lines = [
        "  <entry>",
        f"    <id>{leap2a_id(entry)}</id>",
        f"    <title>{_text(entry.title)}</title>",
        f"    <published>{entry.created_at.isoformat()}</published>",
        f"    <updated>{entry.updated_at.isoformat()}</updated>",
        f'    <content type="text">{_text(content)}</content>',
        '    <rdf:type rdf:resource="leap2:activity"/>',
        f'    <leap2:date leap2:point="start">{entry.occurred_on.isoformat()}</leap2:date>',
        f'    <leap2:date leap2:point="end">{entry.occurred_on.isoformat()}</leap2:date>',
        f'    <category term={_attr(entry.get_activity_type_display())} scheme="{TYPE_SCHEME}"/>',
    ]
    own = [
        (PLATFORM_SCHEME, entry.platform),
        (DURATION_SCHEME, str(entry.duration_minutes or "")),
        (HASHTAG_SCHEME, entry.hashtag),
    ]
    lines += [
        f'    <category term={_attr(term)} scheme="{scheme}"/>' for scheme, term in own if term
    ]
    lines += _measures(entry, credits_rule)
    if entry.url:
        lines.append(f'    <link rel="related" href={_attr(entry.url)}/>')
    lines += [
        f"    <category term={_attr(c.code)}"
        f" scheme={_attr(f'{CAPABILITY_SCHEME_PREFIX}{c.framework.slug}#')}"
        f" label={_attr(f'{c.code} {c.name}')}/>"
        for c in entry.capabilities.all()
    ]
    lines += [f"    <category term={_attr(tag.name)}/>" for tag in entry.tags.all()]
    lines += [
        f'    <link rel="leap2:is_supported_by" href="{evidence_entry_id(e)}"/>'
        for e in entry.evidence.all()
    ]
    lines.append("  </entry>\n")
    return "\n".join(lines)


def _evidence_entry(entry: Entry, evidence: Evidence, path: str) -> str:
    return "\n".join(
        [
            "  <entry>",
            f"    <id>{evidence_entry_id(evidence)}</id>",
            f"    <title>{_text(evidence.original_name)}</title>",
            f"    <updated>{evidence.uploaded_at.isoformat()}</updated>",
            f"    <content src={_attr(path)} type={_attr(evidence.content_type)}/>",
            '    <rdf:type rdf:resource="leap2:resource"/>',
            '    <category term="Offline" scheme="categories:resource_type#"/>',
            f'    <link rel="enclosure" href={_attr(path)} type={_attr(evidence.content_type)}'
            f' length="{evidence.size}"/>',
            f'    <link rel="leap2:supports" href="{leap2a_id(entry)}"/>',
            "  </entry>\n",
        ]
    )
