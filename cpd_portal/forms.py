from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form rendering with one field template for the whole site: label, input,
    help text beneath it as Pico expects, then errors; a checkbox sits inside its label."""

    field_template_name = "forms/field.html"
