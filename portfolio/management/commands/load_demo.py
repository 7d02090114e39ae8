from django.core.management.base import BaseCommand
from django.utils import timezone

from portfolio.demo import load_demo_data
from programmes.demo import load_programme_demo
from resources.demo import load_library_demo


class Command(BaseCommand):
    help = "Create the demo users and a practitioner's CPD log. Safe to run more than once."

    def handle(self, *args, **options) -> None:
        logins = load_demo_data(timezone.localdate())
        load_programme_demo(timezone.localdate())
        load_library_demo(timezone.localdate())
        self.stdout.write("Demo logins (role, email, password):")
        for login in logins:
            self.stdout.write(f"  {login.role}  {login.email}  {login.password}")
