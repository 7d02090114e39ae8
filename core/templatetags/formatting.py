from django import template
from django.utils.safestring import SafeString, mark_safe

from core.durations import format_duration
from core.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308 - rendering.py escapes and nh3-cleans


@register.filter
def duration(minutes: int | None, no_time: str = "") -> str:
    """Time spent the one way the site writes it, "2h 15m" (core.durations); ``no_time`` is
    shown for none, for example ``{{ total|duration:"0h" }}`` where a figure is expected."""
    return format_duration(minutes) or no_time
