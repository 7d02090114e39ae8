"""The address of the client a request came from, for every rate limit (django-ratelimit,
allauth's log-in limits, the API's throttles).

Behind a reverse proxy every request arrives from the proxy, so limits counted by REMOTE_ADDR
are shared by everyone at once. When settings name the header the proxies write
(TRUSTED_PROXY_HEADER, e.g. HTTP_X_FORWARDED_FOR) and how many of them append to it
(TRUSTED_PROXY_COUNT), the client is the entry that the outermost trusted proxy appended:
TRUSTED_PROXY_COUNT from the right. Anything to the left of it was sent by the client and
may be made up.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port


def _address(value: str) -> str | None:
    """``value`` as an IP address, without the port some proxies add; None if it is not one."""
    value = value.strip()
    host, port = split_domain_port(value)
    if port and host:
        value = host.removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    header, proxies = settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT
    if not header or proxies < 1:
        return remote
    appended = request.META.get(header, "").split(",")
    if len(appended) < proxies:
        # It did not come through every proxy: the connection itself is the client.
        return remote
    return _address(appended[-proxies]) or remote
