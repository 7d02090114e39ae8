import datetime as dt
import html
import io
import json
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.importers.base import ImportOptions, ImportRejected
from imports.importers.mastodon import parse_mastodon_archive
from portfolio.link_kinds import web_address
from portfolio.models import ActivityType, Platform

LONDON = ImportOptions(time_zone=ZoneInfo("Europe/London"))
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTOR = "https://social.example/users/alex"


def hashtag_link(tag: str) -> str:
    return (
        f'<a href="https://social.example/tags/{tag}" class="mention hashtag" rel="tag">'
        f"#<span>{tag}</span></a>"
    )


def link(url: str) -> str:
    scheme, rest = url.split("://")
    return (
        f'<a href="{url}" target="_blank" rel="nofollow noopener noreferrer">'
        f'<span class="invisible">{scheme}://</span><span class="">{rest}</span>'
        '<span class="invisible"></span></a>'
    )


def note(
    number: int,
    published: str,
    content: str,
    *,
    tags: tuple[str, ...] = (),
    reply_to: str | None = None,
    to: tuple[str, ...] = (PUBLIC,),
) -> dict:
    """A Create activity of the user's outbox, as Mastodon writes it."""
    status = f"{ACTOR}/statuses/{number}"
    return {
        "id": f"{status}/activity",
        "type": "Create",
        "actor": ACTOR,
        "published": published,
        "to": list(to),
        "cc": [f"{ACTOR}/followers"] if PUBLIC in to else [],
        "object": {
            "id": status,
            "type": "Note",
            "summary": None,
            "inReplyTo": reply_to,
            "published": published,
            "url": f"https://social.example/@alex/{number}",
            "attributedTo": ACTOR,
            "to": list(to),
            "cc": [f"{ACTOR}/followers"] if PUBLIC in to else [],
            "sensitive": False,
            "content": content,
            "attachment": [],
            "tag": [
                {"type": "Hashtag", "href": f"https://social.example/tags/{t}", "name": f"#{t}"}
                for t in tags
            ]
            + [{"type": "Mention", "href": "https://other.example/users/bob", "name": "@bob"}],
        },
    }


def boost(number: int, published: str, boosted: str | dict) -> dict:
    """An Announce activity: ``boosted`` is the boosted post's id, or the post itself."""
    return {
        "id": f"{ACTOR}/statuses/{number}/activity",
        "type": "Announce",
        "actor": ACTOR,
        "published": published,
        "to": [PUBLIC],
        "object": boosted,
    }


def someone_elses(number: int, content: str, *, tags: tuple[str, ...] = ()) -> dict:
    """Bob's post (on another server) as a server that embeds boosted posts writes it."""
    return {
        "id": f"https://other.example/users/bob/statuses/{number}",
        "type": "Note",
        "attributedTo": "https://other.example/users/bob",
        "published": "2025-01-01T09:00:00Z",
        "url": f"https://other.example/@bob/{number}",
        "to": [PUBLIC],
        "content": content,
        "tag": [{"type": "Hashtag", "name": f"#{t}"} for t in tags],
    }


def outbox(items: list) -> bytes:
    return json.dumps(
        {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "outbox.json",
            "type": "OrderedCollection",
            "totalItems": len(items),
            "orderedItems": items,
        }
    ).encode()


def archive(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    buffer.seek(0)
    return buffer


ITEMS = [
    note(
        1,
        "2025-06-13T23:45:00Z",
        f"<p>Q1 tonight {hashtag_link('SWSCmedia')}</p>",
        tags=("SWSCmedia",),
    ),
    note(
        2,
        "2025-06-14T00:20:00Z",
        f"<p>A1: reflective supervision {hashtag_link('SWSCmedia')}</p><p>see "
        f"{link('https://www.scie.org.uk/supervision')}</p>",
        tags=("SWSCmedia",),
        reply_to="https://other.example/users/bob/statuses/9",
    ),
    note(
        3,
        "2025-06-14T08:00:00Z",
        "<p>Great post on <strong>strengths</strong> &amp; risk "
        f"{link('https://practice.example.org/blog/strengths')}</p>"
        "<script>steal(document.cookie)</script><style>p{}</style>",
    ),
    note(4, "2025-06-14T09:00:00Z", "<p>Morning all<br>Coffee first</p>"),
    boost(5, "2025-06-14T10:00:00Z", "https://other.example/users/bob/statuses/77"),
    note(
        6,
        "2025-06-14T11:00:00Z",
        f"<p>Private to Bob {link('https://example.org/case')}</p>",
        to=("https://other.example/users/bob",),
    ),
    {"id": f"{ACTOR}#likes/1", "type": "Like", "object": "https://other.example/1"},
]


def test_a_real_shaped_archive_becomes_chats_links_and_boosts():
    entries = parse_mastodon_archive(
        archive({"outbox.json": outbox(ITEMS), "actor.json": b"{}", "media_attachments/x": b""}),
        LONDON,
    )
    assert [e.source_key for e in entries] == [
        f"mastodon:chat:{ACTOR}/statuses/1",
        f"mastodon:post:{ACTOR}/statuses/3",
        f"mastodon:post:{ACTOR}/statuses/5/activity",
    ]
    chat, blog, boosted = entries
    # 23:45 and 00:20 UTC are one local evening: 14 June, 00:45 to 01:20 BST.
    assert (chat.activity_type, chat.platform, chat.hashtag) == (
        ActivityType.LIVE_CHAT,
        Platform.MASTODON,
        "SWSCmedia",
    )
    assert (chat.occurred_on, chat.duration_minutes) == (dt.date(2025, 6, 14), 35)
    assert chat.url == "https://social.example/@alex/1"
    assert chat.what_happened.endswith(
        "- 00:45 Q1 tonight #SWSCmedia\n"
        "- 01:20 A1: reflective supervision #SWSCmedia see https://www.scie.org.uk/supervision"
    )
    assert (blog.activity_type, blog.platform) == (ActivityType.BLOG_READ, Platform.BLOG)
    assert blog.url == "https://practice.example.org/blog/strengths"
    assert blog.title == "Great post on strengths & risk"
    assert "steal" not in blog.what_happened and "p{}" not in blog.what_happened
    assert blog.what_happened.endswith("The post: https://social.example/@alex/3")
    assert (boosted.activity_type, boosted.platform, boosted.url, boosted.title) == (
        ActivityType.TWEET_READ,
        Platform.MASTODON,
        "https://other.example/users/bob/statuses/77",
        "A post by @bob@other.example",
    )
    assert boosted.occurred_on == dt.date(2025, 6, 14)


def test_a_boost_is_reading_the_boosted_post_whether_its_address_or_the_post():
    items = [
        boost(1, "2025-01-15T20:00:00Z", "https://mastodon.social/@someone/1234"),
        # Someone from another server, as the user's own server addresses their post.
        boost(2, "2025-01-15T20:01:00Z", "https://social.example/@amy@elsewhere.example/9"),
        boost(
            3,
            "2025-01-15T20:02:00Z",
            someone_elses(
                78,
                "<p>Tonight's chat is on strengths-based supervision "
                f"{link('https://practice.example.org/blog/strengths')}</p>"
                "<script>steal()</script><img src=x onerror=steal()>",
            ),
        ),
    ]
    entries = {e.source_key: e for e in parse_mastodon_archive(io.BytesIO(outbox(items)), LONDON)}
    address_only = entries[f"mastodon:post:{ACTOR}/statuses/1/activity"]
    assert (address_only.activity_type, address_only.title, address_only.url) == (
        ActivityType.TWEET_READ,
        "A post by @someone@mastodon.social",
        "https://mastodon.social/@someone/1234",
    )
    assert entries[f"mastodon:post:{ACTOR}/statuses/2/activity"].title == (
        "A post by @amy@elsewhere.example"
    )
    embedded = entries[f"mastodon:post:{ACTOR}/statuses/3/activity"]
    assert (embedded.activity_type, embedded.platform, embedded.title, embedded.url) == (
        ActivityType.TWEET_READ,
        Platform.MASTODON,
        "@bob@other.example: Tonight's chat is on strengths-based supervision",
        "https://other.example/@bob/78",
    )
    # The boost's own date, not the boosted post's.
    assert embedded.occurred_on == dt.date(2025, 1, 15)
    assert embedded.what_happened == (
        "Boosted on Mastodon on 15 January 2025 at 20:02:\n\n"
        "@bob@other.example: Tonight's chat is on strengths-based supervision "
        "https://practice.example.org/blog/strengths\n\n"
        "The post: https://other.example/@bob/78"
    )


def test_boosting_ones_own_post_is_left_out():
    own_post = note(3, "2025-01-15T19:00:00Z", f"<p>My blog {link('https://alex.example/1')}</p>")
    items = [
        own_post,
        boost(4, "2025-01-15T20:00:00Z", f"{ACTOR}/statuses/3"),
        boost(5, "2025-01-15T20:01:00Z", "https://social.example/@alex/3"),
        boost(6, "2025-01-15T20:02:00Z", own_post["object"]),
    ]
    entries = parse_mastodon_archive(io.BytesIO(outbox(items)), LONDON)
    assert [e.source_key for e in entries] == [f"mastodon:post:{ACTOR}/statuses/3"]


def test_a_boost_during_a_chat_counts_in_it_when_it_carries_the_hashtag():
    items = [
        *ITEMS[:2],  # the #SWSCmedia chat, 23:45 to 00:20 UTC
        boost(
            10,
            "2025-06-14T00:00:00Z",
            someone_elses(
                80,
                f"<p>Q2: who supervises the supervisors? {hashtag_link('SWSCmedia')}</p>",
                tags=("SWSCmedia",),
            ),
        ),
        # Its address alone does not say it was part of the chat.
        boost(11, "2025-06-14T00:05:00Z", "https://other.example/users/bob/statuses/81"),
    ]
    entries = parse_mastodon_archive(io.BytesIO(outbox(items)), LONDON)
    assert [e.source_key for e in entries] == [
        f"mastodon:chat:{ACTOR}/statuses/1",
        f"mastodon:post:{ACTOR}/statuses/11/activity",
    ]
    assert entries[0].what_happened.endswith(
        "- 00:45 Q1 tonight #SWSCmedia\n"
        "- 01:00 Boosted @bob@other.example: Q2: who supervises the supervisors? #SWSCmedia\n"
        "- 01:20 A1: reflective supervision #SWSCmedia see https://www.scie.org.uk/supervision"
    )


def test_direct_messages_are_left_out():
    private = note(
        1,
        "2025-01-01T10:00:00Z",
        f"<p>About the family we discussed {link('https://example.org/case-notes')}</p>",
        to=("https://other.example/users/bob",),
    )
    followers_only = note(
        2,
        "2025-01-01T11:00:00Z",
        f"<p>{link('https://example.org/b')}</p>",
        to=(f"{ACTOR}/followers",),
    )
    entries = parse_mastodon_archive(io.BytesIO(outbox([private, followers_only])), LONDON)
    assert [e.source_key for e in entries] == [f"mastodon:post:{ACTOR}/statuses/2"]


def test_hashtag_and_mention_links_are_not_shared_links():
    mention = '<a href="https://other.example/@bob" class="u-url mention">@<span>bob</span></a>'
    items = [note(1, "2025-01-01T10:00:00Z", f"<p>{mention} {hashtag_link('lgovsm')}</p>")]
    assert parse_mastodon_archive(io.BytesIO(outbox(items)), LONDON) == []


def test_a_bare_outbox_and_an_archive_in_a_folder_are_accepted():
    bare = parse_mastodon_archive(io.BytesIO(outbox(ITEMS)), LONDON)
    folder = parse_mastodon_archive(archive({"archive-2025/outbox.json": outbox(ITEMS)}), LONDON)
    assert [e.source_key for e in bare] == [e.source_key for e in folder]
    assert len(bare) == 3


def test_escaped_markup_typed_into_a_post_is_cleaned_too():
    typed = "<p>Never do &lt;script&gt;alert(1)&lt;/script&gt; this " + link("https://e.org/")
    (entry,) = parse_mastodon_archive(
        io.BytesIO(outbox([note(1, "2025-01-01T10:00:00Z", typed + "</p>")])), LONDON
    )
    assert entry.title == "Never do this"
    assert "<" not in entry.what_happened and "alert" not in entry.what_happened


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text"),
        (b'{"orderedItems": [', "is damaged: it is not the JSON a Mastodon archive holds"),
        (b"[]", "doesn't look like a Mastodon archive.*outbox.json holds no list"),
        (b'{"type": "OrderedCollection", "orderedItems": []}', "holds no posts"),
        (b'{"orderedItems": ["x"]}', "Item 1 in outbox.json .* it is not an activity"),
        (
            b'{"orderedItems": [{"type": "Create", "object": {"type": "Note"}}]}',
            "its id is missing",
        ),
        (
            b'{"orderedItems": [{"type": "Create", "object": {"type": "Note", "id": "a\\u0000"}}]}',
            "its id is missing",
        ),
        (
            b'{"orderedItems": [{"type": "Create", '
            b'"object": {"type": "Note", "id": "a", "published": "last week"}}]}',
            "its published date is not a date and time",
        ),
        (
            b'{"orderedItems": [{"type": "Create", "object": '
            b'{"type": "Note", "id": "a", "published": "2025-01-01T10:00:00"}}]}',
            "its published date is not a date and time",
        ),
        (
            b'{"orderedItems": [{"type": "Create", "object": {"type": "Note", "id": "a", '
            b'"published": "2025-01-01T10:00:00Z", "content": 3}}]}',
            "its content is not text",
        ),
        (
            b'{"orderedItems": [{"type": "Create", "object": {"type": "Note", "id": "a", '
            b'"published": "2025-01-01T10:00:00Z", "tag": "x"}}]}',
            "its tags are not a list",
        ),
        (b'{"orderedItems": [{"type": "Announce", "id": "a"}]}', "it boosts nothing"),
        (
            b'{"orderedItems": [{"type": "Announce", "id": "a", "object": {"type": "Note"}}]}',
            "it boosts nothing",
        ),
        (
            b'{"orderedItems": [{"type": "Announce", "id": "a", '
            b'"published": "2025-01-01T10:00:00Z", "object": {"id": "b", "content": [3]}}]}',
            "its content is not text",
        ),
    ],
)
def test_malformed_files_are_refused_with_a_reason(content, message):
    with pytest.raises(ImportRejected, match=message):
        parse_mastodon_archive(io.BytesIO(content), LONDON)


def test_a_zip_without_an_outbox_is_not_a_mastodon_archive():
    for files in ({}, {"actor.json": b"{}"}, {"data/tweets.js": b"[]"}):
        with pytest.raises(ImportRejected, match="doesn't look like a Mastodon archive"):
            parse_mastodon_archive(archive(files), LONDON)


def test_paths_that_climb_out_of_the_archive_are_refused():
    with pytest.raises(ImportRejected, match="leaves the archive"):
        parse_mastodon_archive(
            archive({"outbox.json": outbox(ITEMS), "/etc/passwd": b"root"}), LONDON
        )


def test_an_archive_that_unpacks_too_large_is_refused(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 50_000
    padded = [note(n, "2025-01-01T10:00:00Z", "<p>" + " " * 1000 + "</p>") for n in range(100)]
    bomb = archive({"outbox.json": outbox(padded)})
    assert len(bomb.getvalue()) < 50_000
    with pytest.raises(ImportRejected, match="unpacks to more than"):
        parse_mastodon_archive(bomb, LONDON)
    with pytest.raises(ImportRejected, match="larger than"):
        parse_mastodon_archive(io.BytesIO(outbox(padded)), LONDON)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_entries_or_a_reason(data):
    for source in (io.BytesIO(data), archive({"outbox.json": data})):
        try:
            result = parse_mastodon_archive(source, LONDON)
        except ImportRejected as rejected:
            assert str(rejected)
        else:
            assert isinstance(result, list)


# JSON in roughly the outbox's shape, with the wrong things in the right places.
json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "Create",
            "Announce",
            "Note",
            "Hashtag",
            "#SWSCmedia",
            "2025-01-01T10:00:00Z",
            PUBLIC,
            "https://example.org/a",
            '<a href="https://example.org/b">b</a>',
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["type", "id", "object", "published", "content", "tag", "name", "url", "to"]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_like, max_size=5))
def test_any_json_in_the_outbox_gives_entries_or_a_reason(items):
    try:
        result = parse_mastodon_archive(io.BytesIO(outbox(items)), LONDON)
    except ImportRejected as rejected:
        assert str(rejected)
    else:
        assert isinstance(result, list)


# Posts over a day and a night of summer time, with hostile HTML among ordinary words, and
# boosts: of a post known by its address (someone else's or the user's own) or embedded.
BOOSTED = {
    "address": lambda number, words, tags: "https://other.example/users/bob/statuses/1",
    "own": lambda number, words, tags: f"{ACTOR}/statuses/{number}",
    "embedded": lambda number, words, tags: someone_elses(
        number, "<p>" + words + "".join(hashtag_link(t) for t in tags) + "</p>", tags=tuple(tags)
    ),
}
generated_item = st.builds(
    lambda number, minute, words, tags, urls, boosted: (
        boost(number, stamp(minute), BOOSTED[boosted](number, words, tags))
        if boosted
        else note(
            number,
            stamp(minute),
            "<p>"
            + words
            + "".join(hashtag_link(t) for t in tags)
            + "".join(link(u) for u in urls)
            + "</p>",
            tags=tuple(tags),
        )
    ),
    number=st.integers(1, 10**12),
    # Many in one evening hour, where chats and boosts meet.
    minute=st.integers(0, 24 * 60) | st.integers(7 * 60, 8 * 60),
    words=st.text(max_size=200).map(html.escape)
    | st.sampled_from(["<script>alert(1)</script>", "&lt;script&gt;", "<img src=x onerror=y>"]),
    tags=st.lists(st.sampled_from(["SWSCmedia", "lgovsm"]), max_size=2, unique=True),
    urls=st.lists(
        st.sampled_from(["https://example.org/a", "https://blog.example.org/b"]), max_size=2
    ),
    boosted=st.none() | st.sampled_from(sorted(BOOSTED)),
)


BOOST_NOTE = re.compile(r"^- \d\d:\d\d Boosted (a post by )?@bob@other\.example", re.MULTILINE)


def stamp(minute: int) -> str:
    return (dt.datetime(2025, 6, 13, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)).isoformat()


@settings(max_examples=150, deadline=None)
@given(st.lists(generated_item, min_size=1, max_size=40, unique_by=lambda item: item["id"]))
def test_generated_outboxes_account_for_every_post(items):
    entries = parse_mastodon_archive(io.BytesIO(outbox(items)), LONDON)
    keys = [e.source_key for e in entries]
    assert len(keys) == len(set(keys))
    by_key = dict(zip(keys, entries, strict=True))
    boosts = {f"mastodon:post:{i['id']}": i["object"] for i in items if i["type"] == "Announce"}
    others = {key: boosted for key, boosted in boosts.items() if ACTOR not in str(boosted)}
    # A boost of someone else's post is a read of that post, or (when the archive holds the
    # post, hashtags and all) a note in the chat it was made during; one of the user's own
    # post is neither.
    assert not (set(boosts) - set(others)) & set(keys)
    folded = 0
    for key, boosted in others.items():
        if isinstance(boosted, str):
            entry = by_key[key]
            assert entry.title == "A post by @bob@other.example"
            assert entry.url == boosted
        elif key in by_key:
            assert by_key[key].url == boosted["url"]
            assert by_key[key].title.startswith(("@bob@other.example: ", "A post by @bob"))
        else:
            folded += 1
    # "Boosted @bob@other.example: words", or only whose post it was when the words were all
    # markup.
    boost_notes = sum(len(BOOST_NOTE.findall(e.what_happened)) for e in entries if e.hashtag)
    assert boost_notes == folded
    for key in set(others) & set(keys):
        assert by_key[key].activity_type == ActivityType.TWEET_READ
    shared = {
        f"mastodon:post:{i['object']['id']}"
        for i in items
        if i["type"] == "Create" and 'rel="nofollow' in i["object"]["content"]
    }
    posts = {key for key in keys if key.startswith("mastodon:post:")} - set(boosts)
    assert posts <= shared
    notes = sum(e.what_happened.count("\n- ") for e in entries if e.hashtag)
    assert len(shared - posts) <= notes
    local_days = {
        dt.datetime.fromisoformat(i["published"]).astimezone(LONDON.time_zone).date() for i in items
    }
    for entry in entries:
        assert len(entry.title) <= 200
        assert not web_address(entry.title) and not entry.title.startswith("http")
        assert entry.occurred_on in local_days
        for text in (entry.title, entry.what_happened):
            assert "<script" not in text and "onerror" not in text and "<img" not in text
