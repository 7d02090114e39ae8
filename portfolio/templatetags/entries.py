from django import template

from portfolio.models import Entry

register = template.Library()


@register.filter
def entry_field_label(name: str) -> str:
    """The label a user sees for an Activity field, from the model itself."""
    label = str(Entry._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]
