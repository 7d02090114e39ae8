"""manage.py import_account_export <zip> [--email ...]: recreate an account from its
"Download everything" ZIP on this portal (account_data/importing.py says what comes across)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from account_data.importing import ImportRefused, import_account_export


class Command(BaseCommand):
    help = "Recreate an account from its 'Download everything' ZIP. Refuses an existing address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zip", type=Path, help="The ZIP the account's owner downloaded.")
        parser.add_argument(
            "--email", help="Import under this address instead of the one in the export."
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["zip"]
        try:
            with path.open("rb") as source:
                result = import_account_export(source, email=options["email"])
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except ImportRefused as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        self.stdout.write(
            f"Imported {result.user.email}: {result.entries} entries, {result.files} files, "
            f"{result.summaries} summaries, {result.notifications} notifications. "
            "They set a password with 'Forgot password' before they sign in."
        )
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
