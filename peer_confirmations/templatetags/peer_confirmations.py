from django import template
from django.conf import settings

from core.cpd_year import CpdYear
from peer_confirmations.forms import RequestForm
from peer_confirmations.shown import confirmed_discussions, entry_confirmations

register = template.Library()


@register.inclusion_tag("peer_confirmations/_entry_section.html", takes_context=True)
def peer_confirmations_section(context, entry) -> dict:
    """On the owner's entry page: the colleagues' answers, the links sent, and the form to ask.
    A refused request's page passes its own form (``request_form``) and reading."""
    return {
        "entry": entry,
        "confirmations": context.get("confirmations") or entry_confirmations(entry),
        "form": context.get("request_form") or RequestForm(),
        "csrf_token": context.get("csrf_token"),
        "days": settings.PEER_CONFIRMATION_DAYS,
    }


@register.simple_tag
def confirmed_discussions_count(user, year: CpdYear) -> int:
    return confirmed_discussions(user, year)
