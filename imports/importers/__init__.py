"""Importers: each turns one kind of file a practitioner already has into proposed entries.

A parser is a plain function ``(source, options) -> list[ProposedEntry]`` that reads a
binary file, never touches the database and raises ``ImportRejected`` (with a message a user
can act on) for anything it cannot read. Staging, review and confirmation are the same for
every source: see imports/staging.py.
"""
