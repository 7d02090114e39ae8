"""The spreadsheet template offered beside the CSV import.

Public on purpose: it holds no one's data, and a programme leader can hand it to students
before they have an account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .importers.spreadsheet import TEMPLATE_FILENAME, write_csv_template


@login_not_required
@require_GET
def import_csv_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    write_csv_template(response)
    return response
