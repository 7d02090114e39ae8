from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from demo.regulators import load_regulator_demo
from demo.second_factor import DEMO_TOTP_SECRET, set_up_demo_second_factor
from peer_confirmations.demo import load_peer_confirmation_demo
from portfolio.demo import load_demo_data
from programmes.demo import load_programme_demo
from resources.demo import load_library_demo


class Command(BaseCommand):
    help = "Create the demo users and a practitioner's CPD log. Safe to run more than once."

    def handle(self, *args, **options) -> None:
        # One date for them all, so that a load running past midnight stays consistent.
        today = timezone.localdate()
        logins = load_demo_data(today)
        logins.append(load_regulator_demo(today))
        load_peer_confirmation_demo(today)
        load_programme_demo(today)
        load_library_demo(today)
        self.stdout.write("Demo logins (role, email, password):")
        for login in logins:
            self.stdout.write(f"  {login.role}  {login.email}  {login.password}")
        users = list(User.objects.filter(email__in=[login.email for login in logins]))
        if needing := set_up_demo_second_factor(users):
            names = " and ".join(user.get_role_display().lower() for user in needing)
            self.stdout.write(
                f"The {names} also need a second factor: the code that "
                f"`.venv/bin/python manage.py demo_code` prints, or an authenticator app "
                f"given the key {DEMO_TOTP_SECRET}."
            )
