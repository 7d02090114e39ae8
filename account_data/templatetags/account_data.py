from django import template

from account_data.export import latest_account_export
from account_data.views import export_context

register = template.Library()


@register.inclusion_tag("account_data/_export_section.html", takes_context=True)
def account_export_section(context, user) -> dict:
    """The profile's "Download everything": the latest export, its progress or its file."""
    return {
        **export_context(latest_account_export(user)),
        "csrf_token": context.get("csrf_token"),
    }
