"""The archive X (Twitter) sends when you ask for your data, or the tweets file inside it.

The archive's ``data/tweets.js`` (``data/tweet.js`` in older archives; ``data/tweets-part1.js``
and on when it is split) is JavaScript wrapping JSON: ``window.YTD.tweets.part0 = [{"tweet":
{...}}, ...]``. Only those files and ``data/account.js`` (for the username in each post's
address, and to know a retweet of the user's own post) are read. A retweet is there only as
the text X wrote for it, "RT @author: " and the start of their words: the archive keeps
neither the original post nor its address. What becomes an entry is decided in social.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, BinaryIO

from portfolio.link_kinds import web_address
from portfolio.models import Platform

from .archives import SafeArchive, is_zip, read_upload
from .base import ImportOptions, ImportRejected, ProposedEntry
from .social import Post, parse_json, post_text, propose_entries, usable_hashtag

NOT_AN_ARCHIVE = (
    "This doesn't look like an X archive: we need the .zip X sent you, or the data/tweets.js "
    "inside it."
)
_EXPECTED = "an X archive"
_TWEETS_FILE = re.compile(r"(^|/)data/tweets?(-part(?P<part>\d+))?\.js$", re.IGNORECASE)
_ACCOUNT_FILE = "data/account.js"
_ASSIGNMENT = re.compile(rb"(\xef\xbb\xbf)?\s*window\.[\w.]*\s*=")
# "Wed Oct 10 20:19:24 +0000 2018": parsed by hand, as strptime's month names follow the locale
# (and strptime takes a quarter of the time of parsing a large archive).
_CREATED_AT = re.compile(
    r"^\w{3} (?P<month>\w{3}) (?P<day>\d{1,2}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2}) "
    r"(?P<offset>[+-]\d{4}) (?P<year>\d{4})$"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,50}")
# What X puts before the words it retweeted.
_RETWEET = re.compile(rf"RT @(?P<author>{_USERNAME.pattern})(:\s*|\s+|$)")
_STATUS_ID = re.compile(r"[0-9]{1,30}")


def parse_x_archive(source: BinaryIO, options: ImportOptions) -> list[ProposedEntry]:
    files, username = _read_files(source)
    items = [
        (name, position, item)
        for name, data in files
        for position, item in enumerate(_tweet_list(data, name), start=1)
    ]
    if not items:
        raise ImportRejected("This X archive holds no posts, so there is nothing to import.")
    posts = [
        post
        for name, position, item in items
        if (post := _post(item, position, name, username)) is not None
    ]
    return propose_entries(posts, Platform.X, options)


def _read_files(source: BinaryIO) -> tuple[list[tuple[str, bytes]], str]:
    """The tweets files as (name, content), and the account's username when the archive says."""
    if not is_zip(source):
        return [("tweets.js", read_upload(source))], ""
    archive = SafeArchive(source)
    names = sorted(
        (match["part"] is not None, int(match["part"] or 0), name)
        for name in archive.names()
        if (match := _TWEETS_FILE.search(name))
    )
    if not names:
        raise ImportRejected(NOT_AN_ARCHIVE + " This ZIP has no data/tweets.js in it.")
    account = archive.find(_ACCOUNT_FILE)
    username = _username(archive.read(account), account) if account else ""
    return [(name, archive.read(name)) for _, _, name in names], username


def _javascript_json(data: bytes, name: str) -> Any:
    """The JSON an archive's .js file assigns (``window.YTD.x.part0 = [...]``); bare JSON too."""
    assignment = _ASSIGNMENT.match(data)
    # A view, not a slice: the file may be tens of megabytes.
    json_part = memoryview(data)[assignment.end() :] if assignment else data
    return parse_json(json_part, name, _EXPECTED)


def _username(data: bytes, name: str) -> str:
    """The account's username from data/account.js, or "" when it does not say."""
    accounts = _javascript_json(data, name)
    try:
        username = accounts[0]["account"]["username"]
    except (LookupError, TypeError):
        return ""
    return username if isinstance(username, str) and _USERNAME.fullmatch(username) else ""


def _tweet_list(data: bytes, name: str) -> list[Any]:
    items = _javascript_json(data, name)
    if not isinstance(items, list):
        raise ImportRejected(f"{NOT_AN_ARCHIVE} {name} holds something else.")
    return items


def _post(item: Any, position: int, name: str, username: str) -> Post | None:
    """The post ``item`` holds, or None for a retweet of the user's own post (``username``'s,
    when the archive names the account): reading it again taught nothing new."""
    # Older archives list the tweets themselves, newer ones wrap each in {"tweet": ...}.
    tweet = item.get("tweet", item) if isinstance(item, dict) else None
    if not isinstance(tweet, dict):
        raise _malformed(position, name, "it is not a post")
    post_id = tweet.get("id_str")
    if not isinstance(post_id, str) or not _STATUS_ID.fullmatch(post_id):
        raise _malformed(position, name, "its id_str is missing")
    text = tweet.get("full_text", tweet.get("text"))
    if not isinstance(text, str):
        raise _malformed(position, name, "its full_text is missing")
    entities = tweet.get("entities") or {}
    if not isinstance(entities, dict):
        raise _malformed(position, name, "its entities are not a list of links and hashtags")
    links: list[str] = []
    # Each t.co link appears once in the text; replacing only the first occurrence also keeps
    # a hostile file from multiplying its size.
    for short, expanded in _url_entities(entities.get("urls"), position, name):
        text = text.replace(short, expanded, 1)
        links.append(expanded)
    # A photo's t.co link only points back at the post itself.
    for short, _ in _url_entities(entities.get("media"), position, name):
        text = text.replace(short, "", 1)
    reply_to = tweet.get("in_reply_to_status_id_str")
    # The archive writes the text HTML-escaped ("&amp;"), which post_text undoes.
    text = post_text(text)
    # The archive marks a retweet only by the text X wrote for it.
    is_repost = text.startswith("RT @")
    retweeted = _RETWEET.match(text) if is_repost else None
    author = retweeted["author"] if retweeted else ""
    post = Post(
        id=post_id,
        created_at=_created_at(tweet.get("created_at"), position, name),
        text=text[retweeted.end() :] if retweeted else text,
        url=f"https://x.com/{username or 'i/web'}/status/{post_id}",
        hashtags=_hashtags(entities.get("hashtags"), position, name),
        links=tuple(link for link in links if web_address(link)),
        is_reply=bool(reply_to),
        is_repost=is_repost,
        reposted_author=f"@{author}" if author else "",
    )
    return None if author and author.casefold() == username.casefold() else post


def _created_at(value: Any, position: int, name: str) -> dt.datetime:
    match = _CREATED_AT.match(value) if isinstance(value, str) else None
    month = _MONTHS.get(match["month"]) if match else None
    if match is None or month is None:
        raise _malformed(position, name, "its created_at is not a date X writes")
    sign = -1 if match["offset"][0] == "-" else 1
    offset = dt.timedelta(hours=int(match["offset"][1:3]), minutes=int(match["offset"][3:]))
    try:
        return dt.datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            tzinfo=dt.timezone(sign * offset),
        )
    except ValueError as error:
        raise _malformed(position, name, "its created_at is not a real date") from error


def _url_entities(values: Any, position: int, name: str) -> list[tuple[str, str]]:
    """(t.co address, the address it stands for) for each link entity."""
    if values is None:
        return []
    pairs = []
    for value in values if isinstance(values, list) else [None]:
        short = value.get("url") if isinstance(value, dict) else None
        expanded = value.get("expanded_url", "") if isinstance(value, dict) else None
        if not isinstance(short, str) or not isinstance(expanded, str):
            raise _malformed(position, name, "one of its links is not a link")
        if short:
            pairs.append((short, expanded))
    return pairs


def _hashtags(values: Any, position: int, name: str) -> tuple[str, ...]:
    if values is None:
        return ()
    tags = []
    for value in values if isinstance(values, list) else [None]:
        tag = value.get("text") if isinstance(value, dict) else None
        if not isinstance(tag, str):
            raise _malformed(position, name, "one of its hashtags is not a hashtag")
        if usable_hashtag(tag):
            tags.append(tag)
    return tuple(tags)


def _malformed(position: int, name: str, problem: str) -> ImportRejected:
    return ImportRejected(
        f"Post {position} in {name} is not in the form an X archive uses: {problem}. "
        "Upload the archive exactly as X sent it."
    )
