"""The refusal the SSRF guard gives names the host that was typed, never the address it
resolved to: that would let anyone map the private network one name at a time."""

from __future__ import annotations

import socket

import pytest

from core.safe_http import RefusedAddress, link_checker_client


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:a00:102::1",
    ],
)
def test_a_refusal_never_repeats_the_resolved_address(address, monkeypatch, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sockaddr = (address, 80, 0, 0) if family == socket.AF_INET6 else (address, 80)
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(family, socket.SOCK_STREAM, 6, "", sockaddr)],
    )

    with link_checker_client() as client, pytest.raises(RefusedAddress) as refusal:
        client.get("http://intranet.example.org/")

    message = str(refusal.value)
    assert message == "intranet.example.org leads to an address inside a private or local network"
    assert address not in message
