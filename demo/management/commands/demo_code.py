from django.core.management.base import BaseCommand

from demo.second_factor import demo_code


class Command(BaseCommand):
    help = "Print the code the demo leader's and admin's authenticator app would show now."

    def handle(self, *args, **options) -> None:
        self.stdout.write(demo_code())
