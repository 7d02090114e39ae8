import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from imports.importers.base import ImportOptions
from imports.importers.social import (
    SESSION_GAP,
    Post,
    group_chats,
    post_text,
    propose_entries,
    usable_hashtag,
)
from portfolio.link_kinds import web_address
from portfolio.models import ActivityType, Platform

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def post(post_id: str, when: str, text: str = "", **fields) -> Post:
    return Post(id=post_id, created_at=at(when), text=text, **fields)


def propose(posts, time_zone=LONDON, platform=Platform.X):
    return propose_entries(posts, platform, ImportOptions(time_zone=time_zone))


def by_key(entries):
    return {entry.source_key: entry for entry in entries}


def test_two_chats_on_one_day_become_two_entries():
    # A lunchtime #lgovsm chat and the evening #SWSCmedia chat, both in January (GMT).
    entries = propose(
        [
            post("1", "2025-01-15 12:00", "Q1 on #lgovsm", hashtags=("lgovsm",)),
            post("2", "2025-01-15 12:25", "Agree #lgovsm", hashtags=("lgovsm",), is_reply=True),
            post("3", "2025-01-15 12:47", "Thanks all #lgovsm", hashtags=("lgovsm",)),
            post("4", "2025-01-15 20:02", "Hello #SWSCmedia", hashtags=("SWSCmedia",)),
            post("5", "2025-01-15 20:58", "Bye #swscmedia", hashtags=("swscmedia",)),
            post("6", "2025-01-15 20:30", "A2 #SWSCmedia", hashtags=("SWSCmedia",)),
        ]
    )
    assert [e.source_key for e in entries] == ["x:chat:1", "x:chat:4"]
    lunch, evening = entries
    assert (lunch.title, lunch.hashtag, lunch.duration_minutes) == ("#lgovsm chat", "lgovsm", 50)
    assert (evening.title, evening.hashtag, evening.duration_minutes) == (
        "#SWSCmedia chat",
        "SWSCmedia",
        60,
    )
    assert {lunch.activity_type, evening.activity_type} == {ActivityType.LIVE_CHAT}
    assert {lunch.occurred_on, evening.occurred_on} == {dt.date(2025, 1, 15)}
    assert evening.what_happened.startswith(
        "Joined the #SWSCmedia chat on X/Twitter from 20:02 to 20:58 (Europe/London)."
    )
    # The user's own posts are the notes, in time order with their local times.
    assert evening.what_happened.endswith(
        "- 20:02 Hello #SWSCmedia\n- 20:30 A2 #SWSCmedia\n- 20:58 Bye #swscmedia"
    )
    assert not lunch.what_learned and not lunch.impact


def test_a_chat_crossing_midnight_utc_is_one_local_day_in_summer_time():
    # 23:40 and 00:10 UTC are 00:40 and 01:10 on 14 June in London (BST).
    posts = [
        post("10", "2025-06-13 23:40", "Late #SWSCmedia", hashtags=("SWSCmedia",)),
        post("11", "2025-06-14 00:10", "Later #SWSCmedia", hashtags=("SWSCmedia",)),
    ]
    (chat,) = propose(posts, LONDON)
    assert chat.occurred_on == dt.date(2025, 6, 14)
    assert "from 00:40 to 01:10" in chat.what_happened
    # In UTC the same posts fall on two days, each too few for a chat.
    assert propose(posts, ZoneInfo("UTC")) == []


def test_too_few_posts_or_too_long_a_gap_make_no_chat():
    alone = [post("1", "2025-01-15 20:00", "Just me #SWSCmedia", hashtags=("SWSCmedia",))]
    assert propose(alone) == []
    apart = [
        post("1", "2025-01-15 20:00", "#SWSCmedia", hashtags=("SWSCmedia",)),
        post("2", "2025-01-15 20:41", "#SWSCmedia", hashtags=("SWSCmedia",)),
    ]
    assert dt.timedelta(minutes=41) > SESSION_GAP
    assert propose(apart) == []


def test_a_short_chat_gets_the_minimum_and_durations_round_up():
    quick = propose(
        [
            post("1", "2025-01-15 20:00", "#a", hashtags=("a",)),
            post("2", "2025-01-15 20:03", "#a", hashtags=("a",)),
            post("3", "2025-01-16 20:00", "#a", hashtags=("a",)),
            post("4", "2025-01-16 20:21", "#a", hashtags=("a",)),
        ]
    )
    assert [e.duration_minutes for e in quick] == [15, 25]


def test_a_post_tagged_for_two_chats_joins_only_the_larger():
    both = ("SWSCmedia", "lgovsm")
    posts = [
        post("1", "2025-01-15 20:00", "#SWSCmedia", hashtags=("SWSCmedia",)),
        post("2", "2025-01-15 20:10", "#SWSCmedia", hashtags=("SWSCmedia",)),
        post("3", "2025-01-15 20:20", "both", hashtags=both, links=("https://example.org/a",)),
        post("4", "2025-01-15 20:30", "#lgovsm", hashtags=("lgovsm",)),
    ]
    chats = group_chats(posts, LONDON)
    assert [(c.hashtag, [p.id for p in c.posts]) for c in chats] == [("SWSCmedia", ["1", "2", "3"])]
    # Post 3's link is a note of the chat, and post 4 is left alone with no link.
    assert [e.source_key for e in propose(posts)] == ["x:chat:1"]


def test_original_posts_with_links_become_reading_entries():
    entries = by_key(
        propose(
            [
                post(
                    "20",
                    "2025-03-02 09:15",
                    "Worth reading on strengths-based practice https://blog.example.org/strengths",
                    links=("https://blog.example.org/strengths",),
                    url="https://x.com/alex/status/20",
                ),
                post(
                    "21",
                    "2025-03-02 10:00",
                    "Report out today",
                    links=("https://www.gov.uk/government/publications/report",),
                ),
                post("22", "2025-03-02 11:00", "Just a thought, no link"),
            ]
        )
    )
    assert set(entries) == {"x:post:20", "x:post:21"}
    blog = entries["x:post:20"]
    assert (blog.activity_type, blog.platform) == (ActivityType.BLOG_READ, Platform.BLOG)
    assert blog.url == "https://blog.example.org/strengths"
    assert blog.title == "Worth reading on strengths-based practice"
    assert blog.occurred_on == dt.date(2025, 3, 2)
    assert blog.what_happened == (
        "Shared on X/Twitter on 2 March 2025 at 09:15:\n\n"
        "Worth reading on strengths-based practice https://blog.example.org/strengths\n\n"
        "The post: https://x.com/alex/status/20"
    )
    report = entries["x:post:21"]
    assert (report.activity_type, report.platform) == (ActivityType.READING, Platform.WEBSITE)
    assert blog.duration_minutes is None and not blog.hashtag


def test_reposts_are_reading_someone_elses_post():
    entries = by_key(
        propose(
            [
                post(
                    "1",
                    "2025-01-15 19:30",
                    "Tonight's chat is on strengths-based supervision…",
                    url="https://x.com/alex/status/1",
                    is_repost=True,
                    reposted_author="@SWSCmedia",
                ),
                post(
                    "2",
                    "2025-01-15 21:00",
                    "New guidance out https://www.communitycare.co.uk/guidance",
                    url="https://x.com/alex/status/2",
                    links=("https://www.communitycare.co.uk/guidance",),
                    is_repost=True,
                    reposted_author="@CommunityCare",
                ),
                post(
                    "3",
                    "2025-01-15 21:05",
                    "https://youtu.be/x",
                    url="https://x.com/alex/status/3",
                    links=("https://youtu.be/x",),
                    is_repost=True,
                    reposted_author="@amy",
                ),
            ]
        )
    )
    assert set(entries) == {"x:post:1", "x:post:2", "x:post:3"}
    chat_news = entries["x:post:1"]
    assert (chat_news.activity_type, chat_news.platform) == (ActivityType.TWEET_READ, Platform.X)
    assert chat_news.title == "@SWSCmedia: Tonight's chat is on strengths-based supervision…"
    # X's archive does not say which post a retweet repeated: the entry links to the retweet.
    assert chat_news.url == "https://x.com/alex/status/1"
    assert chat_news.occurred_on == dt.date(2025, 1, 15)
    assert chat_news.what_happened == (
        "Reposted on X/Twitter on 15 January 2025 at 19:30:\n\n"
        "@SWSCmedia: Tonight's chat is on strengths-based supervision…\n\n"
        "The post: https://x.com/alex/status/1"
    )
    # A link in the reposted words stays in them; the entry is reading the post.
    guidance = entries["x:post:2"]
    assert (guidance.activity_type, guidance.title, guidance.url) == (
        ActivityType.TWEET_READ,
        "@CommunityCare: New guidance out",
        "https://x.com/alex/status/2",
    )
    assert "@CommunityCare: New guidance out https://www.communitycare.co.uk/guidance" in (
        guidance.what_happened
    )
    assert entries["x:post:3"].title == "A post by @amy"


def test_a_boost_known_only_by_its_address_is_titled_by_whose_post_it_was():
    entries = by_key(
        propose(
            [
                post(
                    "b1",
                    "2025-01-15 21:10",
                    is_repost=True,
                    reposted_url="https://mastodon.social/@someone/1234",
                    reposted_author="@someone@mastodon.social",
                ),
                post(
                    "b2",
                    "2025-01-15 21:20",
                    is_repost=True,
                    reposted_url="https://pleroma.example/objects/9f2c",
                ),
                post("b3", "2025-01-15 21:30", is_repost=True, reposted_url="urn:uuid:1"),
            ],
            platform=Platform.MASTODON,
        )
    )
    boosted = entries["mastodon:post:b1"]
    assert (boosted.activity_type, boosted.platform) == (ActivityType.TWEET_READ, Platform.MASTODON)
    assert boosted.title == "A post by @someone@mastodon.social"
    assert boosted.url == "https://mastodon.social/@someone/1234"
    assert boosted.what_happened == (
        "Boosted on Mastodon on 15 January 2025 at 21:10:\n\n"
        "A post by @someone@mastodon.social\n\n"
        "The post: https://mastodon.social/@someone/1234"
    )
    assert entries["mastodon:post:b2"].title == "A post on pleroma.example"
    unknown = entries["mastodon:post:b3"]
    assert (unknown.title, unknown.url) == ("A post", "")


def test_a_repost_during_a_chat_counts_in_that_chat():
    tag = ("SWSCmedia",)
    entries = by_key(
        propose(
            [
                post("1", "2025-01-15 20:00", "Hello #SWSCmedia", hashtags=tag, url="https://x/1"),
                post(
                    "2",
                    "2025-01-15 20:05",
                    "Q1 what makes supervision strengths-based? #swscmedia",
                    hashtags=("swscmedia",),
                    is_repost=True,
                    reposted_author="@SWSCmedia",
                ),
                post("3", "2025-01-15 20:30", "A1 curiosity #SWSCmedia", hashtags=tag),
                # During the chat, but without its hashtag.
                post(
                    "4", "2025-01-15 20:35", "Lovely evening", is_repost=True, reposted_author="@a"
                ),
                post("5", "2025-01-15 20:50", "Bye #SWSCmedia", hashtags=tag),
                # With the hashtag, but before the chat's first post and after its last.
                post("6", "2025-01-15 19:55", "Soon #SWSCmedia", hashtags=tag, is_repost=True),
                post("7", "2025-01-15 20:51", "Thanks #SWSCmedia", hashtags=tag, is_repost=True),
            ]
        )
    )
    assert set(entries) == {"x:chat:1", "x:post:4", "x:post:6", "x:post:7"}
    chat = entries["x:chat:1"]
    # The repost is one of the notes, in time order; the time is still the user's own posts'.
    assert chat.what_happened.endswith(
        "- 20:00 Hello #SWSCmedia\n"
        "- 20:05 Reposted @SWSCmedia: Q1 what makes supervision strengths-based? #swscmedia\n"
        "- 20:30 A1 curiosity #SWSCmedia\n"
        "- 20:50 Bye #SWSCmedia"
    )
    assert (chat.duration_minutes, chat.url) == (50, "https://x/1")
    assert "from 20:00 to 20:50" in chat.what_happened
    assert {entries[key].activity_type for key in ("x:post:4", "x:post:6", "x:post:7")} == {
        ActivityType.TWEET_READ
    }


def test_reposts_alone_never_make_a_chat_and_count_in_only_one():
    tag = ("SWSCmedia",)
    reposts = [
        post(str(n), f"2025-01-15 20:{n:02d}", "#SWSCmedia", hashtags=tag, is_repost=True)
        for n in range(1, 6)
    ]
    assert group_chats(reposts, LONDON) == []
    assert [e.activity_type for e in propose(reposts)] == [ActivityType.TWEET_READ] * 5
    both = ("SWSCmedia", "lgovsm")
    posts = [
        post("1", "2025-01-15 20:00", "#SWSCmedia", hashtags=tag),
        post("2", "2025-01-15 20:10", "#SWSCmedia #lgovsm", hashtags=both),
        post("3", "2025-01-15 20:20", "#SWSCmedia", hashtags=tag),
        post("4", "2025-01-15 20:04", "#lgovsm", hashtags=("lgovsm",)),
        post("5", "2025-01-15 20:15", "#lgovsm", hashtags=("lgovsm",)),
        post("9", "2025-01-15 20:12", "both", hashtags=both, is_repost=True),
    ]
    chats = group_chats(posts, LONDON)
    assert [(c.hashtag, [p.id for p in c.reposts]) for c in chats] == [
        ("SWSCmedia", ["9"]),
        ("lgovsm", []),
    ]
    assert sum(e.what_happened.count("Reposted") for e in propose(posts)) == 1


def test_replies_join_chats_or_count_only_with_a_link():
    entries = by_key(
        propose(
            [
                post("1", "2025-01-15 20:00", "#SWSCmedia", hashtags=("SWSCmedia",)),
                post(
                    "2",
                    "2025-01-15 20:10",
                    "@bob yes #SWSCmedia",
                    hashtags=("SWSCmedia",),
                    is_reply=True,
                ),
                post("3", "2025-01-16 08:00", "@bob I agree", is_reply=True),
                post(
                    "4",
                    "2025-01-16 09:00",
                    "@bob see https://example.org/guide",
                    is_reply=True,
                    links=("https://example.org/guide",),
                ),
            ]
        )
    )
    assert set(entries) == {"x:chat:1", "x:post:4"}
    assert "- 20:10 @bob yes #SWSCmedia" in entries["x:chat:1"].what_happened
    assert entries["x:post:4"].what_happened.startswith("Replied on X/Twitter")


def test_titles_fit_and_fall_back_to_the_link():
    long_text = "reflection " * 40
    entries = by_key(
        propose(
            [
                post("1", "2025-01-15 09:00", long_text, links=("https://example.org/a",)),
                post(
                    "2",
                    "2025-01-15 09:10",
                    "https://example.org/only-a-link",
                    links=("https://example.org/only-a-link",),
                ),
            ]
        )
    )
    assert len(entries["x:post:1"].title) <= 200
    assert entries["x:post:1"].title.endswith("…")
    assert entries["x:post:2"].title == "Shared: example.org/only-a-link"


def test_links_an_entry_cannot_hold_are_passed_over():
    too_long = "https://example.org/" + "a" * 500
    entries = propose(
        [
            post("1", "2025-01-15 09:00", "x", links=("javascript:alert(1)", too_long)),
            post(
                "2", "2025-01-15 09:00", "y", links=("javascript:alert(1)", "https://ok.example/")
            ),
        ]
    )
    assert [(e.source_key, e.url) for e in entries] == [("x:post:2", "https://ok.example/")]
    assert not web_address('https://example.org/"><script>')
    assert not web_address("https://example.org/a b")
    assert web_address(" https://example.org/\n") == "https://example.org/"
    assert not usable_hashtag("SWSCmedia\n") and not usable_hashtag("") and usable_hashtag("café")


def test_source_keys_stay_within_the_column_and_repeated_posts_count_once():
    long_id = "https://social.example/users/alex/statuses/" + "9" * 300
    link = ("https://example.org/a",)
    entries = propose(
        [
            post(long_id, "2025-01-15 09:00", "a", links=link),
            post("7", "2025-01-15 10:00", "b", links=link),
            post("7", "2025-01-15 10:00", "b", links=link),
        ],
        platform=Platform.MASTODON,
    )
    keys = [e.source_key for e in entries]
    assert keys[0].startswith("mastodon:post:sha256:") and len(keys[0]) <= 255
    assert keys[1:] == ["mastodon:post:7"]


def test_post_text_leaves_no_markup_even_when_typed_escaped():
    assert post_text("I typed &lt;script&gt;alert(1)&lt;/script&gt; &amp; more") == "I typed & more"
    assert post_text("<p>One</p><p>Two &lt;3</p>") == "One\n\nTwo <3"


# Posts over a few days at minute resolution, with a handful of hashtags, so chats, gaps and
# days all occur often.
hashtags = st.lists(st.sampled_from(["SWSCmedia", "swscmedia", "lgovsm", "MHChat"]), max_size=2)
links = st.lists(
    st.sampled_from(
        ["https://example.org/a", "https://blog.example.org/b", "javascript:alert(1)", ""]
    ),
    max_size=2,
)
posts = st.lists(
    st.builds(
        Post,
        id=st.integers(1, 10**6).map(str),
        created_at=st.integers(0, 3 * 24 * 60).map(
            lambda minute: at("2025-03-29 12:00") + dt.timedelta(minutes=minute)
        ),
        text=st.text(max_size=300),
        hashtags=hashtags.map(tuple),
        links=links.map(tuple),
        is_reply=st.booleans(),
        is_repost=st.booleans(),
        reposted_url=st.sampled_from(["", "https://social.example/@amy/1"]),
        reposted_author=st.sampled_from(["", "@bob", "@amy@social.example"]),
    ),
    max_size=40,
    unique_by=lambda p: p.id,
)


@settings(max_examples=200, deadline=None)
@given(posts, st.sampled_from([LONDON, ZoneInfo("UTC"), ZoneInfo("America/New_York")]))
def test_every_post_is_accounted_for_as_documented(generated, time_zone):
    entries = propose(generated, time_zone)
    keys = [e.source_key for e in entries]
    assert len(keys) == len(set(keys))
    chats = group_chats(generated, time_zone)
    in_chat = [p.id for chat in chats for p in chat.posts]
    assert len(in_chat) == len(set(in_chat))
    for chat in chats:
        days = {p.created_at.astimezone(time_zone).date() for p in chat.posts}
        assert len(chat.posts) >= 2 and len(days) == 1
        assert all(
            b.created_at - a.created_at <= SESSION_GAP
            for a, b in zip(chat.posts, chat.posts[1:], strict=False)
        )
        assert all(not p.is_repost for p in chat.posts)
        assert all(p.is_repost for p in chat.reposts)
        assert all(
            chat.hashtag.casefold() in {t.casefold() for t in p.hashtags}
            for p in chat.posts + chat.reposts
        )
        assert all(
            chat.posts[0].created_at <= p.created_at <= chat.posts[-1].created_at
            for p in chat.reposts
        )
    folded = [p.id for chat in chats for p in chat.reposts]
    assert len(folded) == len(set(folded))
    # A repost made during a chat, with its hashtag, is always counted in it.
    for repost in (p for p in generated if p.is_repost and p.id not in folded):
        assert not any(
            chat.hashtag.casefold() in {t.casefold() for t in repost.hashtags}
            and chat.posts[0].created_at <= repost.created_at <= chat.posts[-1].created_at
            for chat in chats
        )
    in_any_chat = set(in_chat) | set(folded)
    expected = {f"x:chat:{chat.posts[0].id}" for chat in chats} | {
        f"x:post:{p.id}"
        for p in generated
        if p.id not in in_any_chat and (p.is_repost or any(web_address(link) for link in p.links))
    }
    assert set(keys) == expected
    reposts = {f"x:post:{p.id}" for p in generated if p.is_repost}
    local_days = {p.created_at.astimezone(time_zone).date() for p in generated}
    for entry in entries:
        assert len(entry.title) <= 200
        assert entry.occurred_on in local_days
        assert not entry.what_learned and not entry.impact
        assert not web_address(entry.title)
        if entry.source_key in reposts:
            assert entry.activity_type == ActivityType.TWEET_READ
            assert entry.title and not entry.title.startswith("http")
