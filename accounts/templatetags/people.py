"""How a person is shown to others on the site's pages: ``{{ student|person }}``."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def person(user) -> SafeString | str:
    """The name they gave, with their address beside it, quieter (two students may share a
    name; an address tells them apart); the address alone if they have given no name. A
    student who deleted her account is kept by a name alone (Membership.student_name)."""
    if isinstance(user, str):
        return user
    if user.display_name:
        return format_html(
            '{} <span class="person-address">{}</span>', user.display_name, user.email
        )
    return user.email
