import datetime as dt
import io
import json
import zipfile
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.importers.base import ImportOptions, ImportRejected
from portfolio.importers.twitter import parse_x_archive
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
) -> dict:
    """One item of data/tweets.js as X writes it (the fields we read, and some we don't)."""
    entities = {
        "hashtags": [{"text": tag, "indices": ["0", "1"]} for tag in hashtags],
        "symbols": [],
        "user_mentions": [],
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
    tweet(
        201,
        "Thu Oct 11 08:00:00 +0000 2018",
        "RT @CommunityCare: New guidance out https://t.co/Rpt",
        urls=(("https://t.co/Rpt", "https://www.communitycare.co.uk/guidance"),),
    ),
    tweet(202, "Thu Oct 11 08:05:00 +0000 2018", "RT @friend: Have a good day all"),
    tweet(203, "Thu Oct 11 09:00:00 +0000 2018", "@friend thank you!", reply_to="199"),
    tweet(204, "Thu Oct 11 10:00:00 +0000 2018", "Coffee first"),
]


def test_a_real_shaped_archive_becomes_chats_and_links():
    entries = parse_x_archive(
        archive({"data/tweets.js": tweets_js(EVENING + SHARED), "data/account.js": ACCOUNT}),
        LONDON,
    )
    assert [e.source_key for e in entries] == ["x:chat:101", "x:post:200", "x:post:201"]
    chat, blog, guidance = entries
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
    assert guidance.url == "https://www.communitycare.co.uk/guidance"
    assert guidance.what_happened.startswith("Reposted on X/Twitter on 11 October 2018 at 09:00")


def test_split_and_older_archives_are_read_whole(tmp_path):
    split = archive(
        {
            "twitter-2024/data/tweets-part1.js": tweets_js(SHARED, "tweets.part1"),
            "twitter-2024/data/tweets.js": tweets_js(EVENING + SHARED[:1]),
        }
    )
    keys = [e.source_key for e in parse_x_archive(split, LONDON)]
    assert keys == ["x:chat:101", "x:post:200", "x:post:201"]
    older = archive({"data/tweet.js": tweets_js([t["tweet"] for t in SHARED], "tweet.part0")})
    assert [e.source_key for e in parse_x_archive(older, LONDON)] == ["x:post:200", "x:post:201"]


def test_without_account_js_posts_link_through_x_itself():
    (entry,) = parse_x_archive(archive({"data/tweets.js": tweets_js(SHARED[:1])}), LONDON)
    assert entry.what_happened.endswith("The post: https://x.com/i/web/status/200")


def test_a_bare_tweets_file_or_json_list_is_accepted():
    bare = parse_x_archive(io.BytesIO(tweets_js(EVENING)), LONDON)
    assert [e.source_key for e in bare] == ["x:chat:101"]
    plain_json = json.dumps(SHARED).encode()
    assert len(parse_x_archive(io.BytesIO(b"\xef\xbb\xbf" + plain_json), LONDON)) == 2


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


# Tweets over a day and a night of summer time, on a few hashtags, some with links, some retweets.
TAGS = ["SWSCmedia", "lgovsm", "MHChat"]
generated_tweet = st.builds(
    lambda tweet_id, minute, words, tags, links, retweet, reply: tweet(
        tweet_id,
        (dt.datetime(2025, 6, 13, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)).strftime(
            "%a %b %d %H:%M:%S +0000 %Y"
        ),
        ("RT @someone: " if retweet else "")
        + words
        + "".join(f" #{tag}" for tag in tags)
        + "".join(f" https://t.co/{n}" for n in range(len(links))),
        hashtags=tuple(tags),
        urls=tuple((f"https://t.co/{n}", link) for n, link in enumerate(links)),
        reply_to="1" if reply else None,
    ),
    tweet_id=st.integers(1, 10**12),
    minute=st.integers(0, 24 * 60),
    words=st.text(max_size=200) | st.just("<script>alert(1)</script>"),
    tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
    links=st.lists(
        st.sampled_from(["https://example.org/a", "https://blog.example.org/b", "ftp://x"]),
        max_size=2,
    ),
    retweet=st.booleans(),
    reply=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(generated_tweet, min_size=1, max_size=40, unique_by=lambda t: t["tweet"]["id_str"]))
def test_generated_archives_account_for_every_post(tweets):
    entries = parse_x_archive(archive({"data/tweets.js": tweets_js(tweets)}), LONDON)
    keys = [e.source_key for e in entries]
    assert len(keys) == len(set(keys))
    by_id = {t["tweet"]["id_str"]: t["tweet"] for t in tweets}
    with_links = {
        tweet_id
        for tweet_id, t in by_id.items()
        if any(u["expanded_url"].startswith("https://") for u in t["entities"]["urls"])
    }
    posts = {key.removeprefix("x:post:") for key in keys if key.startswith("x:post:")}
    # Only posts with a link become entries of their own; every other post with a link is a
    # note in a chat.
    assert posts <= with_links
    notes = sum(e.what_happened.count("\n- ") for e in entries if e.hashtag)
    assert len(with_links - posts) <= notes
    local_days = {
        dt.datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y")
        .astimezone(LONDON.time_zone)
        .date()
        for t in by_id.values()
    }
    for entry in entries:
        assert len(entry.title) <= 200
        assert entry.occurred_on in local_days
        for text in (entry.title, entry.what_happened):
            assert "<script" not in text and "t.co/" not in text
