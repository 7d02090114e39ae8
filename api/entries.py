"""Entries written through the API go through the web form's own rules: the request's fields
are bound to an ActivityForm, so a complete entry, a date, a link or a confidentiality warning
is judged exactly as on the page, with the same messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.forms.models import model_to_dict
from django.http import QueryDict
from rest_framework.settings import api_settings

from portfolio.activities import create_once, save_activity
from portfolio.forms import ActivityForm
from portfolio.models import Activity

# API field -> the form field that judges it; the rest share their names.
_FORM_NAMES = {"status": "action", "duration_minutes": "duration", "tags": "tag_names"}
_API_NAMES = {form: api for api, form in _FORM_NAMES.items()} | {
    "__all__": api_settings.NON_FIELD_ERRORS_KEY
}


def _current_values(activity: Activity) -> dict[str, Any]:
    """What an existing entry holds, in the API's terms: a PATCH changes only what it sends."""
    values = model_to_dict(activity, fields=ActivityForm._meta.fields)
    values.update(
        status=activity.status,
        duration_minutes=activity.duration_minutes,
        tags=[tag.name for tag in activity.tags.all()],
    )
    return values


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(getattr(value, "pk", value))


def _form_data(values: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        form_name = _FORM_NAMES.get(name, name)
        if name == "tags":
            # The form reads tags as typed: names separated by commas.
            data[form_name] = ", ".join(value)
        elif isinstance(value, list):
            data.setlist(form_name, [_form_value(item) for item in value])
        else:
            data[form_name] = _form_value(value)
    return data


def bind_activity_form(owner, changes: dict[str, Any], instance: Activity | None) -> ActivityForm:
    """An ActivityForm for ``owner`` holding ``instance`` (None for a new entry) with the
    API's validated ``changes`` applied."""
    values = _current_values(instance) if instance else {}
    values.update(changes)
    return ActivityForm(_form_data(values), instance=instance, owner=owner)


def form_errors(form: ActivityForm) -> dict[str, list[str]]:
    """The form's messages under the API's field names."""
    return {_API_NAMES.get(name, name): list(messages) for name, messages in form.errors.items()}


def save_from_form(form: ActivityForm, *, owner, client_id=None) -> tuple[Activity, bool]:
    """Save the valid ``form``'s entry; with a ``client_id``, once only (see create_once).
    Returns the entry and whether it is new."""
    activity = form.save(commit=False)
    related = {
        "capabilities": form.cleaned_data["capabilities"],
        "tag_names": form.cleaned_data["tag_names"],
    }
    if client_id is not None:
        return create_once(activity, owner=owner, client_id=client_id, **related)
    created = activity.pk is None
    return save_activity(activity, owner=owner, **related), created
