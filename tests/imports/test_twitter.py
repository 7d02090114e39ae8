import datetime as dt
import io
import json
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.importers.base import ImportOptions, ImportRejected
from imports.importers.twitter import parse_x_archive
from portfolio.link_kinds import web_address
from portfolio.models import ActivityType, Platform

LONDON = ImportOptions(time_zone=ZoneInfo("Europe/London"))


def tweet(
    tweet_id: int,
    created_at: str,
    full_text: str,
    *,
    hashtags: tuple[str, ...] = (),
    urls: tuple[tuple[str, str], ...] = (),
    reply_to: str | None = None,
    media: tuple[str, ...] = (),
    mentions: tuple[str, ...] = (),
) -> dict:
    """One item of data/tweets.js as X writes it (the fields we read, and some we don't)."""
    entities = {
        "hashtags": [{"text": tag, "indices": ["0", "1"]} for tag in hashtags],
        "symbols": [],
        "user_mentions": [
            {"name": name, "screen_name": name, "id_str": "7", "indices": ["3", "9"]}
            for name in mentions
        ],
        "urls": [
            {"url": short, "expanded_url": expanded, "display_url": expanded[8:30]}
            for short, expanded in urls
        ],
    }
    if media:
        entities["media"] = [{"url": short, "expanded_url": "https://x.com/pic"} for short in media]
    return {
        "tweet": {
            "edit_info": {"initial": {"editTweetIds": [str(tweet_id)]}},
            "retweeted": False,
            "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
            "entities": entities,
            "favorite_count": "3",
            "id_str": str(tweet_id),
            "in_reply_to_status_id_str": reply_to,
            "created_at": created_at,
            "favorited": False,
            "full_text": full_text,
            "lang": "en",
        }
    }


def retweet(tweet_id: int, created_at: str, author: str, words: str, **fields) -> dict:
    """A retweet as X's archive keeps it: only "RT @author: " and the start of their words."""
    return tweet(tweet_id, created_at, f"RT @{author}: {words}", mentions=(author,), **fields)


def tweets_js(tweets: list[dict], part: str = "tweets.part0") -> bytes:
    return f"window.YTD.{part} = {json.dumps(tweets, indent=2)}".encode()


def archive(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    buffer.seek(0)
    return buffer


ACCOUNT = b'window.YTD.account.part0 = [{"account": {"username": "alex_sw", "accountId": "42"}}]'

EVENING = [
    tweet(
        101,
        "Wed Oct 10 19:00:10 +0000 2018",
        "Q1 is up &amp; ready #SWSCmedia",
        hashtags=("SWSCmedia",),
    ),
    tweet(
        102,
        "Wed Oct 10 19:12:45 +0000 2018",
        "A1 supervision is where I learn most #SWSCmedia https://t.co/AbC",
        hashtags=("SWSCmedia",),
        urls=(("https://t.co/AbC", "https://basw.co.uk/cpd"),),
        reply_to="100",
    ),
    tweet(
        103, "Wed Oct 10 19:41:02 +0000 2018", "Thanks everyone #SWSCmedia", hashtags=("SWSCmedia",)
    ),
]
SHARED = [
    tweet(
        200,
        "Thu Oct 11 07:30:00 +0000 2018",
        "Good piece on thresholds https://t.co/Blg1 https://t.co/pic",
        urls=(("https://t.co/Blg1", "https://socialworker.blog/2018/10/thresholds"),),
        media=("https://t.co/pic",),
    ),
    retweet(
        201,
        "Thu Oct 11 08:00:00 +0000 2018",
        "CommunityCare",
        "New guidance out https://t.co/Rpt",
        urls=(("https://t.co/Rpt", "https://www.communitycare.co.uk/guidance"),),
    ),
    retweet(202, "Thu Oct 11 08:05:00 +0000 2018", "friend", "Have a good day all"),
    tweet(203, "Thu Oct 11 09:00:00 +0000 2018", "@friend thank you!", reply_to="199"),
    tweet(204, "Thu Oct 11 10:00:00 +0000 2018", "Coffee first"),
]


def test_a_real_shaped_archive_becomes_chats_and_links():
    entries = parse_x_archive(
        archive({"data/tweets.js": tweets_js(EVENING + SHARED), "data/account.js": ACCOUNT}),
        LONDON,
    )
    assert [e.source_key for e in entries] == [
        "x:chat:101",
        "x:post:200",
        "x:post:201",
        "x:post:202",
    ]
    chat, blog, guidance, greeting = entries
    assert (chat.activity_type, chat.platform, chat.hashtag) == (
        ActivityType.LIVE_CHAT,
        Platform.X,
        "SWSCmedia",
    )
    assert chat.occurred_on == dt.date(2018, 10, 10)
    assert chat.duration_minutes == 45
    assert chat.url == "https://x.com/alex_sw/status/101"
    # Local (BST) times, &amp; unescaped, t.co replaced by the real address.
    assert chat.what_happened.endswith(
        "- 20:00 Q1 is up & ready #SWSCmedia\n"
        "- 20:12 A1 supervision is where I learn most #SWSCmedia https://basw.co.uk/cpd\n"
        "- 20:41 Thanks everyone #SWSCmedia"
    )
    assert (blog.activity_type, blog.url) == (
        ActivityType.BLOG_READ,
        "https://socialworker.blog/2018/10/thresholds",
    )
    assert blog.title == "Good piece on thresholds"
    assert "t.co" not in blog.what_happened
    assert blog.what_happened.endswith("The post: https://x.com/alex_sw/status/200")
    # Retweets are reading someone else's post, a link in it included.
    assert (guidance.activity_type, guidance.platform, guidance.title, guidance.url) == (
        ActivityType.TWEET_READ,
        Platform.X,
        "@CommunityCare: New guidance out",
        "https://x.com/alex_sw/status/201",
    )
    assert guidance.what_happened == (
        "Reposted on X/Twitter on 11 October 2018 at 09:00:\n\n"
        "@CommunityCare: New guidance out https://www.communitycare.co.uk/guidance\n\n"
        "The post: https://x.com/alex_sw/status/201"
    )
    assert (greeting.activity_type, greeting.title) == (
        ActivityType.TWEET_READ,
        "@friend: Have a good day all",
    )


def test_split_and_older_archives_are_read_whole(tmp_path):
    split = archive(
        {
            "twitter-2024/data/tweets-part1.js": tweets_js(SHARED, "tweets.part1"),
            "twitter-2024/data/tweets.js": tweets_js(EVENING + SHARED[:1]),
        }
    )
    keys = [e.source_key for e in parse_x_archive(split, LONDON)]
    assert keys == ["x:chat:101", "x:post:200", "x:post:201", "x:post:202"]
    older = archive({"data/tweet.js": tweets_js([t["tweet"] for t in SHARED], "tweet.part0")})
    assert [e.source_key for e in parse_x_archive(older, LONDON)] == [
        "x:post:200",
        "x:post:201",
        "x:post:202",
    ]


def test_without_account_js_posts_link_through_x_itself():
    (entry,) = parse_x_archive(archive({"data/tweets.js": tweets_js(SHARED[:1])}), LONDON)
    assert entry.what_happened.endswith("The post: https://x.com/i/web/status/200")


def test_a_bare_tweets_file_or_json_list_is_accepted():
    bare = parse_x_archive(io.BytesIO(tweets_js(EVENING)), LONDON)
    assert [e.source_key for e in bare] == ["x:chat:101"]
    plain_json = json.dumps(SHARED).encode()
    assert len(parse_x_archive(io.BytesIO(b"\xef\xbb\xbf" + plain_json), LONDON)) == 3


def test_a_retweet_during_a_chat_counts_in_it_and_others_are_read_posts():
    with_retweets = [
        *EVENING,
        retweet(
            150,
            "Wed Oct 10 19:05:00 +0000 2018",
            "SWSCmedia",
            "Tonight's chat is on strengths-based supervision #SWSCmedia",
            hashtags=("SWSCmedia",),
        ),
        # During the chat, without its hashtag.
        retweet(151, "Wed Oct 10 19:20:00 +0000 2018", "bob", "Supervision is a right"),
        # With its hashtag, before the first post and after the last.
        retweet(149, "Wed Oct 10 18:50:00 +0000 2018", "SWSCmedia", "Soon! #SWSCmedia"),
        retweet(152, "Wed Oct 10 19:50:00 +0000 2018", "SWSCmedia", "Thanks #SWSCmedia"),
    ]
    entries = {
        e.source_key: e
        for e in parse_x_archive(
            archive({"data/tweets.js": tweets_js(with_retweets), "data/account.js": ACCOUNT}),
            LONDON,
        )
    }
    assert set(entries) == {"x:chat:101", "x:post:149", "x:post:151", "x:post:152"}
    chat = entries["x:chat:101"]
    assert chat.what_happened.endswith(
        "- 20:00 Q1 is up & ready #SWSCmedia\n"
        "- 20:05 Reposted @SWSCmedia: Tonight's chat is on strengths-based supervision "
        "#SWSCmedia\n"
        "- 20:12 A1 supervision is where I learn most #SWSCmedia https://basw.co.uk/cpd\n"
        "- 20:41 Thanks everyone #SWSCmedia"
    )
    assert (chat.duration_minutes, chat.url) == (45, "https://x.com/alex_sw/status/101")
    read = entries["x:post:151"]
    assert (read.activity_type, read.title, read.url, read.occurred_on) == (
        ActivityType.TWEET_READ,
        "@bob: Supervision is a right",
        "https://x.com/alex_sw/status/151",
        dt.date(2018, 10, 10),
    )
    assert entries["x:post:152"].title == "@SWSCmedia: Thanks #SWSCmedia"


def test_a_retweet_of_ones_own_post_is_left_out():
    own = [
        retweet(
            1,
            "Wed Oct 10 19:05:00 +0000 2018",
            "alex_sw",
            "My blog https://t.co/b",
            urls=(("https://t.co/b", "https://alex.example/blog/1"),),
        ),
        retweet(
            2, "Wed Oct 10 19:06:00 +0000 2018", "Alex_SW", "Q1 #SWSCmedia", hashtags=("SWSCmedia",)
        ),
    ]
    with_account = {"data/tweets.js": tweets_js(EVENING + own), "data/account.js": ACCOUNT}
    (chat,) = parse_x_archive(archive(with_account), LONDON)
    # Retweeted during the chat, with its hashtag, and still no note of it.
    assert chat.source_key == "x:chat:101" and "alex_sw" not in chat.what_happened.casefold()
    only_own = {"data/tweets.js": tweets_js(own), "data/account.js": ACCOUNT}
    assert parse_x_archive(archive(only_own), LONDON) == []
    # Without data/account.js the archive does not say whose it is.
    bare = parse_x_archive(io.BytesIO(tweets_js(own)), LONDON)
    assert [e.title for e in bare] == ["@alex_sw: My blog", "@Alex_SW: Q1 #SWSCmedia"]


def test_markup_in_a_retweet_is_cleaned_too():
    hostile = retweet(
        5,
        "Thu Oct 11 07:30:00 +0000 2018",
        "bob",
        "&lt;script&gt;alert(1)&lt;/script&gt;Read &lt;b onclick=x&gt;this&lt;/b&gt;",
    )
    (entry,) = parse_x_archive(io.BytesIO(tweets_js([hostile])), LONDON)
    assert entry.title == "@bob: Read this"
    assert "<" not in entry.what_happened and "alert" not in entry.what_happened


def test_markup_and_scripts_in_posts_are_cleaned():
    hostile = tweet(
        300,
        "Thu Oct 11 07:30:00 +0000 2018",
        "Read this &lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick=x&gt;now&lt;/b&gt; "
        "https://t.co/x",
        urls=(("https://t.co/x", "https://example.org/"),),
    )
    (entry,) = parse_x_archive(io.BytesIO(tweets_js([hostile])), LONDON)
    assert entry.title == "Read this now"
    assert "<" not in entry.what_happened and "alert" not in entry.what_happened


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not text"),
        (b'window.YTD.tweets.part0 = [{"tweet": ', "is damaged: it is not the JSON"),
        (b"<html><body>Hello</body></html>", "is damaged"),
        (b'{"tweets": []}', "doesn't look like an X archive.*tweets.js holds something else"),
        (b"[]", "holds no posts"),
        (b"[1]", "Post 1 in tweets.js is not in the form an X archive uses: it is not a post"),
        (
            b'[{"tweet": {"id_str": "1", "full_text": "x", "created_at": "yesterday"}}]',
            "its created_at is not a date X writes",
        ),
        (
            b'[{"tweet": {"id_str": "1", "full_text": "x", '
            b'"created_at": "Wed Feb 31 20:19:24 +0000 2018"}}]',
            "not a real date",
        ),
        (b'[{"tweet": {"full_text": "x"}}]', "its id_str is missing"),
        (
            b'[{"tweet": {"id_str": "1", "full_text": "x", "entities": {"urls": [3]}}}]',
            "one of its links is not a link",
        ),
        (
            b'[{"tweet": {"id_str": "1", "full_text": "x", "entities": {"hashtags": "a"}, '
            b'"created_at": "Wed Oct 10 20:19:24 +0000 2018"}}]',
            "one of its hashtags is not a hashtag",
        ),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_malformed_files_are_refused_with_a_reason(content, message):
    with pytest.raises(ImportRejected, match=message):
        parse_x_archive(io.BytesIO(content), LONDON)


def test_a_zip_without_tweets_is_not_an_x_archive():
    for files in ({}, {"data/like.js": b"[]"}, {"outbox.json": b"{}"}):
        with pytest.raises(ImportRejected, match=r"doesn't look like an X archive.*no data/tweets"):
            parse_x_archive(archive(files), LONDON)


def test_paths_that_climb_out_of_the_archive_are_refused():
    with pytest.raises(ImportRejected, match="leaves the archive"):
        parse_x_archive(
            archive({"data/tweets.js": tweets_js(SHARED), "../../etc/cron.d/evil": b"x"}), LONDON
        )


def test_an_archive_that_unpacks_too_large_is_refused(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 100_000
    padding = [tweet(n, "Thu Oct 11 07:30:00 +0000 2018", " " * 1000) for n in range(200)]
    bomb = archive({"data/tweets.js": tweets_js(padding)})
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ImportRejected, match="unpacks to more than"):
        parse_x_archive(bomb, LONDON)
    with pytest.raises(ImportRejected, match="larger than"):
        parse_x_archive(io.BytesIO(tweets_js(padding)), LONDON)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_entries_or_a_reason(data):
    for source in (io.BytesIO(data), archive({"data/tweets.js": data})):
        try:
            result = parse_x_archive(source, LONDON)
        except ImportRejected as rejected:
            assert str(rejected)
        else:
            assert isinstance(result, list)


# JSON in roughly the archive's shape, with the wrong things in the right places.
json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=30)
    | st.sampled_from(
        ["1", "Wed Oct 10 20:19:24 +0000 2018", "https://t.co/x", "https://example.org/", "RT @a"]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "tweet",
                    "id_str",
                    "full_text",
                    "created_at",
                    "entities",
                    "urls",
                    "hashtags",
                    "url",
                    "expanded_url",
                    "text",
                    "media",
                    "in_reply_to_status_id_str",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_like, max_size=5))
def test_any_json_in_the_tweets_file_gives_entries_or_a_reason(items):
    try:
        result = parse_x_archive(io.BytesIO(tweets_js(items)), LONDON)
    except ImportRejected as rejected:
        assert str(rejected)
    else:
        assert isinstance(result, list)


# Tweets over a day and a night of summer time, on a few hashtags, some with links, some
# retweets: of other people's posts and of the account's own.
TAGS = ["SWSCmedia", "lgovsm", "MHChat"]
AUTHORS = ["SWSCmedia", "someone", "alex_sw", "ALEX_SW"]
RETWEETED = re.compile(r"RT @(\w+): ")
REPOST_NOTE = re.compile(r"- \d\d:\d\d Reposted (a post by )?@")
generated_tweet = st.builds(
    lambda tweet_id, minute, words, tags, links, retweet_of, reply: tweet(
        tweet_id,
        (dt.datetime(2025, 6, 13, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)).strftime(
            "%a %b %d %H:%M:%S +0000 %Y"
        ),
        (f"RT @{retweet_of}: " if retweet_of else "")
        + words
        + "".join(f" #{tag}" for tag in tags)
        + "".join(f" https://t.co/{n}" for n in range(len(links))),
        hashtags=tuple(tags),
        urls=tuple((f"https://t.co/{n}", link) for n, link in enumerate(links)),
        reply_to="1" if reply else None,
        mentions=(retweet_of,) if retweet_of else (),
    ),
    tweet_id=st.integers(1, 10**12),
    # Many in one evening hour (20:00 to 21:00 in London), where chats and retweets meet.
    minute=st.integers(0, 24 * 60) | st.integers(7 * 60, 8 * 60),
    words=st.text(max_size=200) | st.just("<script>alert(1)</script>"),
    tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
    links=st.lists(
        st.sampled_from(["https://example.org/a", "https://blog.example.org/b", "ftp://x"]),
        max_size=2,
    ),
    retweet_of=st.none() | st.sampled_from(AUTHORS),
    reply=st.booleans(),
)
# The two ways an archive lists its tweets: (file, what the file assigns, one tweet as listed).
LAYOUTS = {
    "wrapped": ("data/tweets.js", "tweets.part0", lambda item: item),
    "bare": ("data/tweet.js", "tweet.part0", lambda item: item["tweet"]),
}


def archive_in(layout: str, tweets: list[dict]) -> io.BytesIO:
    name, part, listed = LAYOUTS[layout]
    return archive({name: tweets_js([listed(t) for t in tweets], part), "data/account.js": ACCOUNT})


def chat_windows(entries) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(hashtag, first post, last post) of each chat entry, in local time."""
    windows = []
    for entry in entries:
        if entry.hashtag:
            start, end = re.search(r"from (\d\d:\d\d) to (\d\d:\d\d)", entry.what_happened).groups()
            day = entry.occurred_on.isoformat()
            windows.append(
                (
                    entry.hashtag.casefold(),
                    dt.datetime.fromisoformat(f"{day} {start}").replace(tzinfo=LONDON.time_zone),
                    dt.datetime.fromisoformat(f"{day} {end}").replace(tzinfo=LONDON.time_zone),
                )
            )
    return windows


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(LAYOUTS)),
    st.lists(generated_tweet, min_size=1, max_size=40, unique_by=lambda t: t["tweet"]["id_str"]),
)
def test_generated_archives_account_for_every_post(layout, tweets):
    entries = parse_x_archive(archive_in(layout, tweets), LONDON)
    keys = [e.source_key for e in entries]
    assert len(keys) == len(set(keys))
    by_key = dict(zip(keys, entries, strict=True))
    by_id = {t["tweet"]["id_str"]: t["tweet"] for t in tweets}
    created = {
        tweet_id: dt.datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y")
        for tweet_id, t in by_id.items()
    }
    retweeted = {
        tweet_id: match[1]
        for tweet_id, t in by_id.items()
        if (match := RETWEETED.match(t["full_text"]))
    }
    with_links = {
        tweet_id
        for tweet_id, t in by_id.items()
        if tweet_id not in retweeted
        and any(u["expanded_url"].startswith("https://") for u in t["entities"]["urls"])
    }
    posts = {
        key.removeprefix("x:post:")
        for key in keys
        if key.startswith("x:post:") and key.removeprefix("x:post:") not in retweeted
    }
    # Only posts with a link become entries of their own; every other post with a link is a
    # note in a chat.
    assert posts <= with_links
    notes = [
        line
        for e in entries
        if e.hashtag
        for line in e.what_happened.split("\n")
        if line[:2] == "- "
    ]
    assert len(with_links - posts) <= len(notes)
    windows = chat_windows(entries)
    in_chats = 0
    for tweet_id, author in retweeted.items():
        key = f"x:post:{tweet_id}"
        if author.casefold() == "alex_sw":
            # Retweeting one's own post is left out, and is no note of a chat either.
            assert key not in by_key
            continue
        tags = {tag["text"].casefold() for tag in by_id[tweet_id]["entities"]["hashtags"]}
        during = any(
            tag in tags and start <= created[tweet_id] <= end for tag, start, end in windows
        )
        in_chats += during
        # Each retweet of someone else's post is a note of the chat it was made during, or
        # else exactly one entry: reading that post.
        assert (key in by_key) != during
        if not during:
            entry = by_key[key]
            assert (entry.activity_type, entry.platform) == (ActivityType.TWEET_READ, Platform.X)
            assert entry.title.startswith((f"@{author}: ", f"A post by @{author}"))
            assert entry.url == f"https://x.com/alex_sw/status/{tweet_id}"
    # "Reposted @author: words", or only whose post it was when the words were all markup.
    assert sum(bool(REPOST_NOTE.match(line)) for line in notes) == in_chats
    assert not any("@alex_sw" in line.casefold() for line in notes)
    local_days = {when.astimezone(LONDON.time_zone).date() for when in created.values()}
    for entry in entries:
        assert len(entry.title) <= 200
        assert not web_address(entry.title) and not entry.title.startswith("http")
        assert entry.occurred_on in local_days
        for text in (entry.title, entry.what_happened):
            assert "<script" not in text and "t.co/" not in text


def x_time(minutes_after_eight: int) -> str:
    """A created_at that many minutes after 20:00 in London on 13 June 2025 (19:00 UTC)."""
    when = dt.datetime(2025, 6, 13, 19, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes_after_eight)
    return when.strftime("%a %b %d %H:%M:%S +0000 %Y")


# One evening's #SWSCmedia chat (the user's own posts, never more than 40 minutes apart) and
# retweets around it: before, during and after, with the hashtag or without.
@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(sorted(LAYOUTS)),
    st.lists(st.integers(0, 40), min_size=2, max_size=6, unique=True),
    st.lists(
        st.tuples(st.integers(-30, 70), st.booleans(), st.sampled_from(AUTHORS)),
        min_size=1,
        max_size=8,
    ),
)
def test_retweets_count_in_a_chat_exactly_when_made_during_it_with_its_hashtag(
    layout, own_minutes, retweets
):
    tweets = [
        tweet(n, x_time(minute), f"A{n} #SWSCmedia", hashtags=("SWSCmedia",))
        for n, minute in enumerate(own_minutes, start=1)
    ] + [
        retweet(
            100 + n,
            x_time(minute),
            author,
            f"Point {n}" + (" #SWSCmedia" if tagged else ""),
            hashtags=("SWSCmedia",) if tagged else (),
        )
        for n, (minute, tagged, author) in enumerate(retweets)
    ]
    entries = parse_x_archive(archive_in(layout, tweets), LONDON)
    (chat,) = [e for e in entries if e.hashtag]
    first, last = min(own_minutes), max(own_minutes)
    for n, (minute, tagged, author) in enumerate(retweets):
        key, note = f"x:post:{100 + n}", f"Reposted @{author}: Point {n}"
        someone_elses = author.casefold() != "alex_sw"
        during = someone_elses and tagged and first <= minute <= last
        assert (note in chat.what_happened) == during
        assert (key in {e.source_key for e in entries}) == (someone_elses and not during)
    assert chat.duration_minutes == max(15, -(-(last - first) // 5) * 5)
