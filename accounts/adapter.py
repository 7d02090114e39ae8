"""allauth's adapter: where the project changes how allauth decides things."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse

from core.client_address import client_address
from core.outbox import owe_email
from core.site import absolute_url, email_context


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's log-in and sign-up limits count the same client as every other limit
        (core/client_address.py), not the proxy everyone arrives through."""
        return client_address(request)

    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation) -> str:
        """On the site's own address (settings.SITE_URL), as every other emailed link is, not
        on whichever host the request came in by."""
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's own URL names the two halves of the key separately; its key joins them.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

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
            {"request": request, "email": email}
            | email_context()
            | {name: _on_site(value, request) for name, value in context.items()},
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


def _on_site(value: object, request: HttpRequest | None) -> object:
    """An absolute link allauth built from the request (the sign-up and reset pages it offers
    in some emails), moved onto settings.SITE_URL; anything else as it is."""
    if request is None or not isinstance(value, str):
        return value
    request_base = request.build_absolute_uri("/")
    if value.startswith(request_base):
        return absolute_url("/" + value.removeprefix(request_base))
    return value
