from django.core.management.base import BaseCommand
from django.utils import timezone

from portfolio.demo import load_demo_data


class Command(BaseCommand):
    help = "Create the demo users and a practitioner's CPD log. Safe to run more than once."

    def handle(self, *args, **options) -> None:
        logins = load_demo_data(timezone.localdate())
        self.stdout.write("Demo logins (role, email, password):")
        for login in logins:
            self.stdout.write(f"  {login.role}  {login.email}  {login.password}")
