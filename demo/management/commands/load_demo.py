from django.core.management.base import BaseCommand
from django.utils import timezone

from portfolio.demo import load_demo_data
from programmes.demo import load_programme_demo
from resources.demo import load_library_demo


class Command(BaseCommand):
    help = "Create the demo users and a practitioner's CPD log. Safe to run more than once."

    def handle(self, *args, **options) -> None:
        # One date for all three, so that a load running past midnight stays consistent.
        today = timezone.localdate()
        logins = load_demo_data(today)
        load_programme_demo(today)
        load_library_demo(today)
        self.stdout.write("Demo logins (role, email, password):")
        for login in logins:
            self.stdout.write(f"  {login.role}  {login.email}  {login.password}")
