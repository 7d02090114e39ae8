"""Form fields that choose rows by id, refusing an id no row can have before it reaches the
database.

SQLite cannot even bind an integer of 2**63 or more ("Python int too large to convert to
SQLite INTEGER"), and Django's guard against that covers a plain ``pk=`` lookup but not the
``pk__in=`` a multiple choice makes, so ``capabilities=1180591620717411303424`` was a 500
instead of the form error any other unknown id gets. Every form that chooses rows uses these
(ruff's banned-api rule, in pyproject.toml, stops Django's own creeping back in).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The range of a 64-bit signed integer, every id column's type in SQLite and PostgreSQL.
_SMALLEST_ID, _LARGEST_ID = -(2**63), 2**63 - 1
# Longer than any id could be written, and short enough that int() never refuses it
# (Python will not convert more than 4,300 digits).
_MOST_DIGITS = 25


def is_storable_id(value: Any) -> bool:
    """False for a whole number no id column can hold; True for anything else, which the
    field then judges as it always has (text that is not a number, a UUID)."""
    text = str(value).strip()
    digits = text.removeprefix("-").removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        return True
    return len(digits) <= _MOST_DIGITS and _SMALLEST_ID <= int(text) <= _LARGEST_ID


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not is_storable_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for pk in value:
                if not is_storable_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
