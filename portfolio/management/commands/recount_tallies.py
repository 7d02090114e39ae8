from django.core.management.base import BaseCommand

from portfolio.tallies import recount_everyone


class Command(BaseCommand):
    help = (
        "Count every practitioner's yearly tallies again from the entries. Run it after "
        "moving the CPD year's start (CPD_YEAR_START_MONTH/DAY), which changes the years "
        "entries fall in; the portal keeps them exact by itself otherwise."
    )

    def handle(self, *args, **options) -> None:
        tallies = recount_everyone()
        self.stdout.write(f"Counted {tallies} yearly tallies.")
