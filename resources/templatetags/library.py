from django import template

from core.time_zones import LONDON
from resources.events import Session, describe_recurrence, wall_clock_times

from ..models import Event

register = template.Library()


@register.filter
def recurrence(event: Event) -> str:
    return describe_recurrence(event)


@register.inclusion_tag("resources/_session_times.html")
def session_times(session: Session, viewer_zone: str) -> dict:
    """A session in the viewer's time zone, with London's beside it when that differs."""
    return {
        "viewer": wall_clock_times(session, viewer_zone),
        "london": None if viewer_zone == LONDON else wall_clock_times(session, LONDON),
        "start_iso": session.start.isoformat(),
    }
