"""Builders for the staging tests: proposals, batches staged from them, and small X archives in
the real format (data/tweets.js as ``window.YTD.tweets.part0 = [{"tweet": {...}}]``)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from core.models import WorkState
from imports.importers.base import Attachment, ProposedEntry
from imports.models import ImportBatch, ImportSource
from imports.staging import store_proposals
from portfolio.models import ActivityType, Platform

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = dt.date(2026, 3, 10)
# A blog's RSS feed with two dated posts.
BLOG_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Notes from the duty desk</title>
  <link>https://dutydesk.example.org/</link>
  <description>A social worker's blog</description>
  <item>
    <title>Hearing the child's own words</title>
    <link>https://dutydesk.example.org/2026/03/voice-of-the-child/</link>
    <guid>https://dutydesk.example.org/?p=412</guid>
    <pubDate>Tue, 10 Mar 2026 20:30:00 +0000</pubDate>
    <description>&lt;p&gt;Three referrals; the child's words missing.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Supervision that starts with what went well</title>
    <link>https://dutydesk.example.org/2026/02/supervision/</link>
    <guid>https://dutydesk.example.org/?p=398</guid>
    <pubDate>Tue, 17 Feb 2026 20:30:00 +0000</pubDate>
    <description>&lt;p&gt;Strengths first, then risk.&lt;/p&gt;</description>
  </item>
</channel></rss>
"""


def proposal(n: int, **fields) -> ProposedEntry:
    """A proposal with a full reflection and a time: one that comes in complete."""
    values = {
        "source_key": f"test:item:{n}",
        "activity_type": ActivityType.BLOG_READ,
        "title": f"Post {n} on strengths-based practice",
        "occurred_on": DAY,
        "platform": Platform.BLOG,
        "url": f"https://blog.example.org/posts/{n}",
        "duration_minutes": 20,
        "what_happened": f"Read post {n}.",
        "what_learned": "Start from what is working.",
        "impact": "I open assessments with strengths.",
    }
    values.update(fields)
    return ProposedEntry(**values)


def staged_batch(owner, proposals: list[ProposedEntry], **fields) -> ImportBatch:
    """A batch staged from ``proposals`` as the background task would stage them."""
    fields.setdefault("source", ImportSource.CSV)
    batch = ImportBatch.objects.create(
        owner=owner, state=WorkState.DONE, original_name="entries.csv", **fields
    )
    batch.proposed_count = store_proposals(batch, proposals)
    batch.save()
    return batch


def pdf_attachment(name: str = "certificate.pdf") -> Attachment:
    return Attachment(name=name, content=PDF_BYTES)


def tweet(n: int, text: str | None = None, *, day: int = 10) -> dict:
    """A tweet sharing a link, which the X importer proposes as one reading entry."""
    link = f"https://www.communitycare.co.uk/2026/03/{n}/strengths/"
    return {
        "tweet": {
            "id_str": str(1_000_000 + n),
            "created_at": f"Tue Mar {day:02d} 19:{n % 60:02d}:00 +0000 2026",
            "full_text": (text or f"Worth reading on strengths-based practice ({n})")
            + f" https://t.co/x{n}",
            "entities": {
                "urls": [{"url": f"https://t.co/x{n}", "expanded_url": link}],
                "hashtags": [],
            },
        }
    }


def retweet(n: int, author: str, words: str, *, day: int = 10) -> dict:
    """A retweet as X's archive keeps it: "RT @author: " and the start of their words."""
    return {
        "tweet": {
            "id_str": str(2_000_000 + n),
            "created_at": f"Tue Mar {day:02d} 20:{n % 60:02d}:00 +0000 2026",
            "full_text": f"RT @{author}: {words}",
            "entities": {
                "urls": [],
                "hashtags": [],
                "user_mentions": [{"screen_name": author, "indices": ["3", str(4 + len(author))]}],
            },
        }
    }


def x_archive(tweets: list[dict]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(tweets, indent=1)
        )
        archive.writestr(
            "data/account.js",
            'window.YTD.account.part0 = [{"account": {"username": "alex_sw"}}]',
        )
    return buffer.getvalue()
