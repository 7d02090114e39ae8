from django import template
from django.utils.safestring import SafeString, mark_safe

from core.durations import format_duration
from core.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308 - rendering.py escapes and nh3-cleans


@register.filter
def duration(minutes: int | None) -> str:
    return format_duration(minutes)


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours with at most one decimal: 90 -> "1.5"."""
    value = round((minutes or 0) / 60, 1)
    return f"{value:g}"
