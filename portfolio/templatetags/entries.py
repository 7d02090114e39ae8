from django import template

from portfolio.confidentiality import Finding
from portfolio.models import Entry

register = template.Library()


@register.filter
def entry_field_label(name: str) -> str:
    """The label a user sees for an Activity field, from the model itself."""
    label = str(Entry._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


@register.filter
def findings_in(findings: list[Finding], field_name: str) -> list[Finding]:
    """The confidentiality findings (portfolio.confidentiality) in one field."""
    return [finding for finding in findings if finding.field == field_name]


@register.filter
def needing_confirmation(findings: list[Finding]) -> bool:
    """Whether any finding stops a save until the user ticks that it identifies no one."""
    return any(finding.needs_confirmation for finding in findings)
