"""An HTTP client that never connects to a private address.

The library's link check and the blog-feed importer fetch whatever people typed, so the client
never connects to a private, loopback, link-local or reserved address unless
LINK_CHECK_ALLOW_PRIVATE says so. The address is checked where the connection is made, for
every hop of a redirect, so a name that resolves to a public address once and a private one
the next time (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket

import httpcore
import httpx
from django.conf import settings


class RefusedAddress(Exception):
    """The link leads to an address the checker may not connect to."""


# NAT64's well-known prefix: the last 32 bits are an IPv4 address the gateway connects to.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# NAT64 prefixes for a local network only (RFC 8215); where the IPv4 address sits in them is
# the network's choice, so none of it is checked as public.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def _as_ipv4_when_embedded(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The IPv4 address an IPv6 one leads to (IPv4-mapped, NAT64 or 6to4), or the address
    itself. Python counts the NAT64 and 6to4 prefixes as global whatever they embed, so
    64:ff9b::7f00:1 and 2002:7f00:1:: would otherwise pass as public ways to 127.0.0.1."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    return ip


def is_permitted_address(address: str, allow_private: bool) -> bool:
    ip = _as_ipv4_when_embedded(ipaddress.ip_address(address))
    if allow_private:
        return not (ip.is_multicast or ip.is_unspecified)
    return ip.is_global and not ip.is_multicast and ip not in _LOCAL_NAT64


class _PermittedAddressBackend(httpcore.SyncBackend):
    """httpcore's own network backend, connecting only to permitted addresses: it resolves
    the name itself and connects to the address it checked."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise httpcore.ConnectError(f"{host} could not be found") from error
        addresses = [info[4][0] for info in infos]
        refused = [a for a in addresses if not is_permitted_address(a, self.allow_private)]
        if refused:
            # Never the address itself: the message reaches whoever typed the link, and
            # would map the private network for them one name at a time.
            raise RefusedAddress(f"{host} leads to an address inside a private or local network")
        return super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)


class _PermittedAddressTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool):
        # trust_env=False: a proxy from the environment would connect on our behalf, unchecked.
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_PermittedAddressBackend(allow_private),
        )


def link_checker_client() -> httpx.Client:
    return httpx.Client(
        transport=_PermittedAddressTransport(settings.LINK_CHECK_ALLOW_PRIVATE),
        timeout=settings.LINK_CHECK_TIMEOUT_SECONDS,
        follow_redirects=True,
        max_redirects=settings.LINK_CHECK_MAX_REDIRECTS,
        headers={"User-Agent": settings.LINK_CHECK_USER_AGENT},
        trust_env=False,
    )
