"""A person's rights over their data: "Download everything" (export.py, a ZIP built in the
background) and importing that ZIP into another portal (importing.py), in the format that
schema/account-export.schema.json describes (records.py lists each model's fields in it)."""
