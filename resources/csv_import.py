"""Adding many resources at once from a CSV file: read it, check every row exactly as the
resource form would, show the result, and import only a file with no bad rows, all at once."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from portfolio.models import Capability, Platform

from .curation import save_resource
from .forms import ResourceForm
from .models import Resource, ResourceKind

REQUIRED_COLUMNS = ["title", "url", "kind"]
OPTIONAL_COLUMNS = ["summary", "source", "platform", "hashtag", "capabilities", "topics"]
MAX_BYTES = 1024 * 1024
MAX_ROWS = 500


class CsvFileError(Exception):
    """The file as a whole cannot be imported: its message says why, for the curator."""


@dataclass
class CheckedRow:
    line: int  # as a spreadsheet numbers it: the header is line 1
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    form: ResourceForm | None = None

    @property
    def title(self) -> str:
        return self.values.get("title", "")


def read_resource_csv(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of an uploaded CSV as dictionaries keyed by lower-case column name."""
    if upload.size > MAX_BYTES:
        raise CsvFileError(f"The file is larger than {MAX_BYTES // 1024} KB: split it up.")
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError("The file is not UTF-8 text: save it as “CSV UTF-8”.") from error
    reader = csv.DictReader(io.StringIO(text))
    columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise CsvFileError(
            f"The file has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}. "
            f"The first line must name the columns: {', '.join(REQUIRED_COLUMNS)} are "
            f"required; {', '.join(OPTIONAL_COLUMNS)} are optional."
        )
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise CsvFileError(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Columns can be: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}."
        )
    reader.fieldnames = columns
    rows = [
        {name: (value or "").strip() for name, value in row.items() if name is not None}
        for row in reader
    ]
    if not rows:
        raise CsvFileError("The file has a header line but no resources under it.")
    if len(rows) > MAX_ROWS:
        raise CsvFileError(f"The file has {len(rows)} rows; import at most {MAX_ROWS} at once.")
    return rows


def _choice(text: str, choices: list[tuple[str, str]]) -> str:
    """A choice's value from its value or its label, in any case; the text itself if neither,
    so that the form reports it as not one of the choices."""
    lookup = {key.lower(): value for value, label in choices for key in (value, label)}
    return lookup.get(text.lower(), text)


def _form_data(values: dict[str, str], capabilities: dict[str, int]) -> tuple[dict, list[str]]:
    codes = values.get("capabilities", "").replace(",", " ").replace(";", " ").split()
    unknown = [code for code in codes if code.upper() not in capabilities]
    data = {
        "title": values.get("title", ""),
        "url": values.get("url", ""),
        "kind": _choice(values.get("kind", ""), ResourceKind.choices),
        "summary": values.get("summary", ""),
        "source": values.get("source", ""),
        "platform": _choice(values.get("platform", ""), Platform.choices),
        "hashtag": values.get("hashtag", ""),
        "capabilities": [capabilities[c.upper()] for c in codes if c.upper() in capabilities],
        "tag_names": values.get("topics", "").replace(";", ","),
    }
    errors = [f"No capability has the code {code}." for code in unknown]
    return data, errors


def check_rows(rows: list[dict[str, str]]) -> list[CheckedRow]:
    """Each row with what is wrong with it, checked by the same form a curator fills in."""
    capabilities = {c.code.upper(): c.pk for c in Capability.objects.only("code")}
    checked, seen_urls = [], {}
    for line, values in enumerate(rows, start=2):
        data, errors = _form_data(values, capabilities)
        form = ResourceForm(data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                errors.extend(f"{label}: {message}" if label else message for message in messages)
        url = form.cleaned_data.get("url") if hasattr(form, "cleaned_data") else None
        if url and url in seen_urls:
            errors.append(f"The same link as line {seen_urls[url]}.")
        elif url:
            seen_urls[url] = line
        checked.append(CheckedRow(line, values, errors, form))
    return checked


@transaction.atomic
def import_rows(rows: list[CheckedRow]) -> list[Resource]:
    """Add every row's resource, or none: a single bad row stops the whole import."""
    if any(row.errors for row in rows):
        raise ValueError("Only a file without errors can be imported.")
    return [
        save_resource(
            row.form.save(commit=False),
            capabilities=row.form.cleaned_data["capabilities"],
            tag_names=row.form.cleaned_data["tag_names"],
        )
        for row in rows
    ]
