from django import template

from portfolio.models import Activity

register = template.Library()


@register.filter
def activity_field_label(name: str) -> str:
    """The label a user sees for an Activity field, from the model itself."""
    label = str(Activity._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]
