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


# The column each of the resource form's fields is read from.
COLUMN_OF_FIELD = {
    "title": "title",
    "url": "url",
    "kind": "kind",
    "summary": "summary",
    "source": "source",
    "platform": "platform",
    "hashtag": "hashtag",
    "capabilities": "capabilities",
    "tag_names": "topics",
}
# The columns that take one of a fixed set of values, each written as its value or its label.
CHOICE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "kind": ResourceKind.choices,
    "platform": Platform.choices,
}


def allowed_values(column: str) -> str:
    """The values a choice column accepts, for a curator to copy: "blog (Blog), article
    (Journal article or report), ..."."""
    return ", ".join(
        value if value.lower() == label.lower() else f"{value} ({label})"
        for value, label in CHOICE_COLUMNS[column]
    )


def _choice(text: str, choices: list[tuple[str, str]]) -> str:
    """A choice's value from its value or its label, in any case; the text itself if neither,
    so that the form reports it as not one of the choices."""
    lookup = {key.lower(): value for value, label in choices for key in (value, label)}
    return lookup.get(text.lower(), text)


def _problem(line: int, column: str, message: str) -> str:
    return f"Line {line}, column “{column}”: {message}"


def _form_data(
    line: int, values: dict[str, str], capabilities: dict[str, int]
) -> tuple[dict, list[str]]:
    codes = values.get("capabilities", "").replace(",", " ").replace(";", " ").split()
    unknown = [code for code in codes if code.upper() not in capabilities]
    data = {field: values.get(column, "") for field, column in COLUMN_OF_FIELD.items()}
    for column, choices in CHOICE_COLUMNS.items():  # each a field of the same name
        data[column] = _choice(data[column], choices)
    data["capabilities"] = [capabilities[c.upper()] for c in codes if c.upper() in capabilities]
    data["tag_names"] = data["tag_names"].replace(";", ",")
    errors = [
        _problem(
            line,
            "capabilities",
            f"no capability has the code {code}. The codes are: {', '.join(capabilities)}.",
        )
        for code in unknown
    ]
    return data, errors


def _field_problems(line: int, values: dict[str, str], form: ResourceForm) -> list[str]:
    problems = []
    for name, errors in form.errors.as_data().items():
        column = COLUMN_OF_FIELD.get(name)
        for error in errors:
            if column in CHOICE_COLUMNS and error.code == "invalid_choice":
                text = values.get(column, "")
                message = (
                    f"“{text}” is not one of the allowed values. Use one of: "
                    f"{allowed_values(column)}."
                )
            elif column == "kind" and error.code == "required":
                message = f"every resource needs a kind. Use one of: {allowed_values(column)}."
            else:
                message = " ".join(error.messages)
                message = message[:1].lower() + message[1:] if column else message
            problems.append(_problem(line, column, message) if column else message)
    return problems


def check_rows(rows: list[dict[str, str]]) -> list[CheckedRow]:
    """Each row with what is wrong with it, checked by the same form a curator fills in. Each
    problem names its line and column, and for a column of fixed choices the values it takes."""
    capabilities = {c.code.upper(): c.pk for c in Capability.objects.only("code")}
    checked, seen_urls = [], {}
    for line, values in enumerate(rows, start=2):
        data, errors = _form_data(line, values, capabilities)
        form = ResourceForm(data)
        if not form.is_valid():
            errors.extend(_field_problems(line, values, form))
        url = form.cleaned_data.get("url") if hasattr(form, "cleaned_data") else None
        if url and url in seen_urls:
            errors.append(_problem(line, "url", f"the same link as line {seen_urls[url]}."))
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
