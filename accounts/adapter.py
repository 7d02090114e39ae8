"""allauth's adapter: where the project changes how allauth decides things."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from core.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's log-in and sign-up limits count the same client as every other limit
        (core/client_address.py), not the proxy everyone arrives through."""
        return client_address(request)
