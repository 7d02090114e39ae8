"""What a link is likely to be, from its address alone: which type of activity reading it
is, and on which platform. Used wherever a link arrives without a form around it (the
bookmarklet, a phone's Share menu, imported posts), so each guesses the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from .models import ActivityType, Entry, Platform, http_url_validator

MAX_URL_LENGTH = Entry._meta.get_field("url").max_length
# Valid in a URL's path to Django's validator, but never in a link someone meant to share.
_NOT_IN_A_LINK = re.compile('[\\s<>"\x00-\x1f\x7f]')


@dataclass(frozen=True)
class LinkKind:
    activity_type: str
    platform: str


READ_ON_A_WEBSITE = LinkKind(ActivityType.READING, Platform.WEBSITE)

# Hosts (and their subdomains) whose addresses say what they are.
_HOSTS: dict[str, LinkKind] = {
    "x.com": LinkKind(ActivityType.TWEET_READ, Platform.X),
    "twitter.com": LinkKind(ActivityType.TWEET_READ, Platform.X),
    "bsky.app": LinkKind(ActivityType.TWEET_READ, Platform.BLUESKY),
    "facebook.com": LinkKind(ActivityType.FORUM, Platform.FACEBOOK),
    "linkedin.com": LinkKind(ActivityType.FORUM, Platform.LINKEDIN),
    "wordpress.com": LinkKind(ActivityType.BLOG_READ, Platform.BLOG),
    "blogspot.com": LinkKind(ActivityType.BLOG_READ, Platform.BLOG),
    "medium.com": LinkKind(ActivityType.BLOG_READ, Platform.BLOG),
    "substack.com": LinkKind(ActivityType.BLOG_READ, Platform.BLOG),
    "ghost.io": LinkKind(ActivityType.BLOG_READ, Platform.BLOG),
    "tumblr.com": LinkKind(ActivityType.BLOG_READ, Platform.BLOG),
    "podcasts.apple.com": LinkKind(ActivityType.OTHER, Platform.PODCAST),
    "podbean.com": LinkKind(ActivityType.OTHER, Platform.PODCAST),
    "anchor.fm": LinkKind(ActivityType.OTHER, Platform.PODCAST),
    "youtube.com": LinkKind(ActivityType.WEBINAR, Platform.WEBSITE),
    "youtu.be": LinkKind(ActivityType.WEBINAR, Platform.WEBSITE),
    "vimeo.com": LinkKind(ActivityType.WEBINAR, Platform.WEBSITE),
}

# Any Mastodon server: a status is /@user/123456 (what people share) or
# /users/user/statuses/123456 (what ActivityPub uses).
_MASTODON_STATUS = re.compile(r"^/(@[\w.-]+(@[\w.-]+)?|users/[\w.-]+/statuses)/\d+/?$")
# A blog on its own domain usually says so in its address.
_BLOG_PATH = re.compile(r"(^|/)(blog|blogs|posts?)(/|$)|/\d{4}/\d{2}/", re.IGNORECASE)
_PODCAST_PATH = re.compile(r"^/episode/", re.IGNORECASE)


def web_address(link: str) -> str:
    """``link`` when it is an http(s) address an entry can keep, otherwise nothing: a shared
    or imported javascript:, data: or file: link must never reach a page as a link."""
    link = link.strip()
    if not link or len(link) > MAX_URL_LENGTH or _NOT_IN_A_LINK.search(link):
        return ""
    try:
        http_url_validator(link)
    except ValidationError:
        return ""
    return link


def guess_link_kind(url: str) -> LinkKind:
    """The likeliest activity type and platform for reading ``url``; reading a website when
    nothing in the address says otherwise."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return READ_ON_A_WEBSITE
    host = host.removeprefix("www.").removeprefix("mobile.")
    for known, kind in _HOSTS.items():
        if host == known or host.endswith("." + known):
            return kind
    if host == "open.spotify.com" and _PODCAST_PATH.match(parts.path):
        return LinkKind(ActivityType.OTHER, Platform.PODCAST)
    if _MASTODON_STATUS.match(parts.path):
        return LinkKind(ActivityType.TWEET_READ, Platform.MASTODON)
    if host.startswith("blog.") or _BLOG_PATH.search(parts.path):
        return LinkKind(ActivityType.BLOG_READ, Platform.BLOG)
    return READ_ON_A_WEBSITE
