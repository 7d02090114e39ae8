"""allauth's adapter: where the project changes how allauth decides things."""

from __future__ import annotations

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from core.client_address import client_address
from core.outbox import owe_email


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's log-in and sign-up limits count the same client as every other limit
        (core/client_address.py), not the proxy everyone arrives through."""
        return client_address(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (address confirmation, password reset, security notices) are
        rendered here, in the request, and owed through the outbox (core/outbox.py): a
        worker on the light queue sends them, so a slow mail server never holds up the page,
        and a lost message is sent by the sweep. Each is a new email: two resets asked for
        are two emails, so each is about an id of its own."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        text = "" if message.content_subtype == "html" else message.body
        html = message.body if message.content_subtype == "html" else ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((body for body, kind in message.alternatives if kind == "text/html"), html)
        for recipient in message.to:
            owe_email(
                kind=template_prefix.rsplit("/", 1)[-1][:40],
                about=f"allauth:{uuid.uuid4()}",
                recipient=recipient,
                subject=message.subject,
                body=text,
                html_body=html,
            )
