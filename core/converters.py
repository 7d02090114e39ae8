"""Path converters shared by every app's URLs."""

from __future__ import annotations


class IdConverter:
    """A row's id in a URL: digits that fit the database's 64-bit integer. Django's ``int``
    takes any number of digits, and an id of 2**63 or more reached the database, which refused
    it with an error (a 500 on SQLite and PostgreSQL alike) instead of the 404 any other
    unknown id gets. 18 digits are always below 2**63 and far above any id we will hand out."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
