"""Guessing what a link is from its address: the bookmarklet, the share target and the
importers all rely on the same guess."""

from __future__ import annotations

import pytest

from portfolio.link_kinds import READ_ON_A_WEBSITE, LinkKind, guess_link_kind
from portfolio.models import ActivityType, Platform

TWEET_ON_X = LinkKind(ActivityType.TWEET_READ, Platform.X)
BLUESKY_POST = LinkKind(ActivityType.TWEET_READ, Platform.BLUESKY)
MASTODON_POST = LinkKind(ActivityType.TWEET_READ, Platform.MASTODON)
BLOG_POST = LinkKind(ActivityType.BLOG_READ, Platform.BLOG)
PODCAST = LinkKind(ActivityType.OTHER, Platform.PODCAST)


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/SWSCmedia/status/1780000000000000000",
        "https://www.x.com/SWSCmedia",
        "https://twitter.com/SWSCmedia/status/1780000000000000000",
        "http://www.twitter.com/i/web/status/1",
        "https://mobile.twitter.com/SWSCmedia/status/1780000000000000000",
        "HTTPS://X.COM/SWSCmedia/status/1",
        "  https://x.com/padded/status/2  ",
    ],
)
def test_x_and_twitter_in_all_their_spellings(url):
    assert guess_link_kind(url) == TWEET_ON_X


def test_bluesky_posts():
    url = "https://bsky.app/profile/swengland.bsky.social/post/3kabc"
    assert guess_link_kind(url) == BLUESKY_POST


@pytest.mark.parametrize(
    "url",
    [
        "https://mastodon.social/@socialworker/112233445566778899",
        "https://kolektiva.social/@amhp/1234/",
        "https://social.coop/@someone@mastodon.scot/987654321",
        "https://tech.lgbt/users/practice_educator/statuses/42",
    ],
)
def test_mastodon_statuses_on_any_server(url):
    assert guess_link_kind(url) == MASTODON_POST


@pytest.mark.parametrize(
    "url",
    [
        "https://mastodon.social/@socialworker",  # a profile, not a status
        "https://mastodon.social/@socialworker/with_replies",
    ],
)
def test_a_mastodon_profile_is_not_a_post(url):
    assert guess_link_kind(url) == READ_ON_A_WEBSITE


@pytest.mark.parametrize(
    "url",
    [
        "https://practiceblog.wordpress.com/2026/01/12/strengths/",
        "https://socialworkmusings.blogspot.com/",
        "https://medium.com/@writer/what-supervision-taught-me-abc123",
        "https://writer.medium.com/some-post",
        "https://amhpnotes.substack.com/p/capacity-and-consent",
        "https://someone.ghost.io/a-post/",
    ],
)
def test_known_blog_platforms(url):
    assert guess_link_kind(url) == BLOG_POST


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/blog/strengths-based-practice",
        "https://example.org/blog",
        "https://blog.example.org/reflections",
        "https://example.org/posts/123",
        "https://example.org/2026/03/why-recording-matters/",
    ],
)
def test_blog_like_addresses_on_any_site(url):
    assert guess_link_kind(url) == BLOG_POST


@pytest.mark.parametrize(
    "url",
    [
        "https://podcasts.apple.com/gb/podcast/social-work-stories/id123456789",
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        "https://www.podbean.com/ew/pb-abcde-123",
    ],
)
def test_podcasts(url):
    assert guess_link_kind(url) == PODCAST


@pytest.mark.parametrize(
    "url",
    [
        "https://open.spotify.com/track/4rOoJ6Egrf8K2IrywzwOMk",  # music, not an episode
        "https://www.example.org/blogging-tips",  # "blog" only as part of a word
        "https://notx.com/someone/status/1",  # ends in x.com but is another site
        "https://x.com.evil.example/someone/status/1",
        "https://x.com@evil.example/someone/status/1",  # x.com is only the user part
        "https://www.gov.uk/government/publications/care-act-statutory-guidance",
    ],
)
def test_lookalikes_are_just_websites(url):
    assert guess_link_kind(url) == READ_ON_A_WEBSITE


def test_other_known_hosts():
    assert guess_link_kind("https://www.facebook.com/groups/sw/posts/1") == LinkKind(
        ActivityType.FORUM, Platform.FACEBOOK
    )
    assert guess_link_kind("https://www.youtube.com/watch?v=abc") == LinkKind(
        ActivityType.WEBINAR, Platform.WEBSITE
    )


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "not a link at all", "javascript:alert(1)", "http://[::1", "https://", "::::"],
)
def test_junk_reads_as_a_website_without_failing(junk):
    assert guess_link_kind(junk) == READ_ON_A_WEBSITE
