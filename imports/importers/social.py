"""Posts from an X/Twitter or Mastodon archive turned into proposed CPD entries.

The parsers (twitter.py, mastodon.py) reduce their archives to ``Post`` values; everything
after that is decided here, the same way for both:

- Live chats. The user's own posts (originals and replies) that share a hashtag, on one local
  day, with no gap between them longer than ``SESSION_GAP``, and at least ``MIN_CHAT_POSTS`` of
  them, become one "live chat joined" entry: the hashtag, the day, the time from the first post
  to the last (rounded up, never under ``MIN_CHAT_MINUTES``) and the posts with their local
  times as notes. A post carrying two chats' hashtags joins only one chat (the larger).
  A repost carrying a chat's hashtag, made between the chat's first and last post, counts in
  that chat too, as one of its notes; reposts never start or lengthen a chat, since the words
  are someone else's.
- Links. Any other post of the user's own (original or reply) that shares an http(s) link
  becomes one entry for reading the first link: its type and platform are what the link is
  (portfolio/link_kinds.py), and "shared" or "replied" is said in what happened.
  A post inside a chat is a note of that chat, never an entry of its own.
- Reposts. Any other repost (retweet, boost) is reading someone else's post: a "tweet or
  thread read" entry titled with the author's handle and the start of their words, or, when
  the archive keeps only the reposted post's address (most Mastodon boosts), whose post it
  was. It links to the reposted post when the archive says which it was, otherwise to the
  repost. The parsers leave out reposts of the user's own posts: nothing new was read.
- Everything else (a post or reply with no link and no chat) is skipped: a lone remark is not
  a record of learning.

Every proposal is a draft: there is no reflection yet, and staging decides the status.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.utils.text import capfirst

from portfolio.link_kinds import guess_link_kind, web_address
from portfolio.models import ActivityType, Entry, Platform

from .base import ImportOptions, ImportRejected, ProposedEntry, source_key
from .text import html_to_text, shorten

# #SWSCmedia and #lgovsm chats run for an hour. Someone following one may go quiet for a
# question or two while they read replies, but forty minutes of silence is most of a chat:
# the next post with that hashtag belongs to a later conversation.
SESSION_GAP = dt.timedelta(minutes=40)
# One post with a hashtag is a remark; two within the window are taking part.
MIN_CHAT_POSTS = 2
# Two quick posts still mean reading the chat around them for a while.
MIN_CHAT_MINUTES = 15
CHAT_MINUTES_STEP = 5

_TITLE_MAX = Entry._meta.get_field("title").max_length
_HASHTAG_MAX = Entry._meta.get_field("hashtag").max_length
_LINK_IN_TEXT = re.compile(r"https?://\S+", re.IGNORECASE)
_HASHTAG = re.compile(r"\w+")


@dataclass(frozen=True)
class Post:
    """One item of the user's own timeline, already plain text. A repost's text, hashtags and
    links are those of the post it repeated, as far as the archive keeps them."""

    id: str
    created_at: dt.datetime  # aware
    text: str
    url: str = ""  # the post's own address, when it has one
    hashtags: tuple[str, ...] = ()  # without the "#"
    links: tuple[str, ...] = ()  # addresses it shares, in order
    is_reply: bool = False
    is_repost: bool = False
    reposted_url: str = ""  # what a repost repeated, when the archive says
    reposted_author: str = ""  # whose post that was ("@bob", "@bob@server"), when known


@dataclass(frozen=True)
class Chat:
    hashtag: str  # as the first post spelled it
    posts: list[Post]  # the user's own, in time order
    reposts: list[Post] = field(default_factory=list)  # made during it, in time order


def post_text(markup: str) -> str:
    """A post's words as plain text. Archives store what the author typed escaped, so a
    "<script>" typed into a post arrives as text that would come back out of html_to_text;
    cleaning that text once more means no tag reaches an entry, whatever was typed."""
    text = html_to_text(markup)
    # Most posts have no "<" left, and cleaning each of 50,000 twice would double the time.
    return html_to_text(text) if "<" in text else text


def usable_hashtag(tag: str) -> bool:
    return bool(_HASHTAG.fullmatch(tag))


def parse_json(data: bytes | memoryview, name: str, expected: str) -> Any:
    """The JSON in ``data`` (a file called ``name``), or ImportRejected saying what was
    ``expected`` instead."""
    try:
        return json.loads(str(data, "utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportRejected(f"{name} is not text, so it is not {expected}.") from error
    except json.JSONDecodeError as error:
        raise ImportRejected(
            f"{name} is damaged: it is not the JSON {expected} holds "
            f"({error.msg} at line {error.lineno})."
        ) from error
    except RecursionError as error:
        raise ImportRejected(f"{name} is nested too deeply to be {expected}.") from error


def group_chats(posts: Iterable[Post], time_zone: ZoneInfo) -> list[Chat]:
    """The live chats among ``posts``, each with the reposts made during it; no post is in
    two."""
    by_tag: dict[str, list[Post]] = defaultdict(list)
    reposts: list[Post] = []
    for post in posts:
        if post.is_repost:
            reposts.append(post)
            continue
        for tag in {tag.casefold() for tag in post.hashtags}:
            by_tag[tag].append(post)
    candidates = [
        (tag, session)
        for tag in sorted(by_tag)
        for session in _sessions(sorted(by_tag[tag], key=_when), time_zone)
    ]
    # Largest first, so a post tagged for two chats joins the one it mostly belongs to; what
    # is left of the smaller is split again, since taking posts out may open a long gap.
    candidates.sort(key=lambda candidate: (-len(candidate[1]), _when(candidate[1][0])))
    taken: set[str] = set()
    chosen: list[tuple[str, list[Post]]] = []
    for tag, candidate in candidates:
        free = [post for post in candidate if post.id not in taken]
        for session in _sessions(free, time_zone):
            chosen.append((tag, session))
            taken.update(post.id for post in session)
    during = _reposts_during(chosen, reposts)
    return [
        Chat(
            hashtag=next(t for t in session[0].hashtags if t.casefold() == tag),
            posts=session,
            reposts=folded,
        )
        for (tag, session), folded in zip(chosen, during, strict=True)
    ]


def _reposts_during(
    sessions: list[tuple[str, list[Post]]], reposts: Iterable[Post]
) -> list[list[Post]]:
    """For each (casefolded hashtag, posts) session, the reposts carrying that hashtag made
    between its first and last post. A repost during two chats counts in the first listed
    (the larger)."""
    # One hashtag's sessions never overlap, so each repost need only look at the last of
    # them to start before it: an archive may hold hundreds of one weekly chat.
    starts: dict[str, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for index, (tag, session) in enumerate(sessions):
        starts[tag].append((session[0].created_at, index))
    for tag_starts in starts.values():
        tag_starts.sort()
    folded: list[list[Post]] = [[] for _ in sessions]
    for repost in sorted(reposts, key=_when):
        during = []
        for tag in {tag.casefold() for tag in repost.hashtags}:
            tag_starts = starts.get(tag, [])
            before = bisect_right(tag_starts, repost.created_at, key=lambda start: start[0])
            if before:
                index = tag_starts[before - 1][1]
                if repost.created_at <= sessions[index][1][-1].created_at:
                    during.append(index)
        if during:
            folded[min(during)].append(repost)
    return folded


def propose_entries(
    posts: Iterable[Post], platform: Platform, options: ImportOptions
) -> list[ProposedEntry]:
    """Entries for ``posts`` (the user's own archive on ``platform``), as the module
    docstring describes, in time order."""
    unique: dict[str, Post] = {}
    for post in posts:
        unique.setdefault(post.id, post)  # an archive split in parts may repeat a post
    chats = group_chats(unique.values(), options.time_zone)
    in_chats = {post.id for chat in chats for post in chat.posts + chat.reposts}
    timed = [(_when(chat.posts[0]), _chat_entry(chat, platform, options)) for chat in chats]
    for post in unique.values():
        if post.id in in_chats:
            continue
        entry = (
            _repost_entry(post, platform, options)
            if post.is_repost
            else _link_entry(post, platform, options)
        )
        if entry is not None:
            timed.append((_when(post), entry))
    timed.sort(key=lambda pair: (pair[0], pair[1].source_key))
    return [entry for _, entry in timed]


def _when(post: Post) -> dt.datetime:
    return post.created_at


def _sessions(posts: list[Post], time_zone: ZoneInfo) -> list[list[Post]]:
    """``posts`` (in time order) split wherever the gap is too long or the local day changes,
    keeping the runs long enough to be a chat."""
    runs: list[list[Post]] = []
    for post in posts:
        run = runs[-1] if runs else None
        if (
            run is not None
            and post.created_at - run[-1].created_at <= SESSION_GAP
            and _local(post, time_zone).date() == _local(run[0], time_zone).date()
        ):
            run.append(post)
        else:
            runs.append([post])
    return [run for run in runs if len(run) >= MIN_CHAT_POSTS]


def _local(post: Post, time_zone: ZoneInfo) -> dt.datetime:
    return post.created_at.astimezone(time_zone)


def _chat_entry(chat: Chat, platform: Platform, options: ImportOptions) -> ProposedEntry:
    first, last, tag = chat.posts[0], chat.posts[-1], chat.hashtag
    start, end = _local(first, options.time_zone), _local(last, options.time_zone)
    minutes = math.ceil((end - start).total_seconds() / 60 / CHAT_MINUTES_STEP)
    notes = "\n".join(
        f"- {_local(post, options.time_zone):%H:%M} {' '.join(_note(post, platform).split())}"
        for post in sorted(chat.posts + chat.reposts, key=_when)
    )
    return ProposedEntry(
        source_key=source_key(f"{platform.value}:chat", first.id),
        activity_type=ActivityType.LIVE_CHAT,
        platform=platform,
        title=shorten(f"#{tag} chat", _TITLE_MAX),
        occurred_on=start.date(),
        duration_minutes=max(MIN_CHAT_MINUTES, minutes * CHAT_MINUTES_STEP),
        hashtag=tag[:_HASHTAG_MAX],
        url=first.url,
        what_happened=(
            f"Joined the #{tag} chat on {platform.label} from {start:%H:%M} to {end:%H:%M} "
            f"({options.time_zone.key}). My posts:\n\n{notes}"
        ),
    )


def _note(post: Post, platform: Platform) -> str:
    """What a chat's notes say of ``post``."""
    if post.is_repost:
        return f"{_verb(post, platform)} {_reposted(post, post.text)}"
    return post.text


def _link_entry(post: Post, platform: Platform, options: ImportOptions) -> ProposedEntry | None:
    links = [link for link in post.links if web_address(link)]
    if not links:
        return None
    link = links[0]
    kind = guess_link_kind(link)
    address = link.split("://", 1)[1]
    title = _without_links(post.text) or f"{_verb(post, platform)}: {address}"
    return ProposedEntry(
        source_key=source_key(f"{platform.value}:post", post.id),
        activity_type=kind.activity_type,
        platform=kind.platform,
        title=shorten(title, _TITLE_MAX),
        occurred_on=_local(post, options.time_zone).date(),
        url=link,
        what_happened=_what_happened(post, platform, options, post.text, post.url),
    )


def _repost_entry(post: Post, platform: Platform, options: ImportOptions) -> ProposedEntry:
    """Reading the reposted post, wherever it pointed: a link it carried is in its words."""
    link = web_address(post.reposted_url) or post.url
    said = capfirst(_reposted(post, post.text))
    return ProposedEntry(
        source_key=source_key(f"{platform.value}:post", post.id),
        activity_type=ActivityType.TWEET_READ,
        platform=platform,
        title=shorten(capfirst(_reposted(post, _without_links(post.text))), _TITLE_MAX),
        occurred_on=_local(post, options.time_zone).date(),
        url=link,
        what_happened=_what_happened(post, platform, options, said, link),
    )


def _reposted(post: Post, words: str) -> str:
    """The post a repost repeated, in a line: "@author: ``words``", or, with no words (all
    the archive kept was its address), whose post it was. Never only an address."""
    author = post.reposted_author
    if words:
        return f"{author}: {words}" if author else words
    if author:
        return f"a post by {author}"
    host = _host(post.reposted_url)
    return f"a post on {host}" if host else "a post"


def _what_happened(
    post: Post, platform: Platform, options: ImportOptions, said: str, address: str
) -> str:
    when = _local(post, options.time_zone)
    happened = f"{_verb(post, platform)} on {platform.label} on {when.day} {when:%B %Y at %H:%M}"
    if said:
        happened += f":\n\n{said}"
    if address:
        happened += f"\n\nThe post: {address}"
    return happened


def _without_links(text: str) -> str:
    return " ".join(_LINK_IN_TEXT.sub(" ", text).split())


def _host(address: str) -> str:
    try:
        return (urlsplit(address).hostname or "") if web_address(address) else ""
    except ValueError:
        return ""


def _verb(post: Post, platform: Platform) -> str:
    if post.is_repost:
        return "Boosted" if platform == Platform.MASTODON else "Reposted"
    return "Replied" if post.is_reply else "Shared"
