import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import PASSWORD, make_user


@pytest.mark.django_db
def test_sign_up_verify_email_then_log_in_and_out(client, mailoutbox, send_owed_emails):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "  Nia   Worker ",
            "email": "New.Worker@Example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.worker@example.org"
    assert user.display_name == "Nia Worker"
    assert user.role == Role.PRACTITIONER

    # Not verified yet: logging in is refused and points back to verification.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")

    assert mailoutbox == []  # owed, for a worker on the light queue to send
    assert send_owed_emails() == 1
    (message,) = [m for m in mailoutbox if "confirm" in m.body.lower()][:1]
    link = re.search(rf"{settings.SITE_URL}(/accounts/confirm-email/\S+/)", message.body)[1]
    assert client.get(link).status_code == 200  # a page with a button, not a GET side effect
    response = client.post(link)
    assert response["Location"] == reverse("portfolio:dashboard")
    assert client.get(reverse("portfolio:dashboard")).status_code == 200

    client.post(reverse("account_logout"))
    assert client.get(reverse("portfolio:dashboard")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, mailoutbox, send_owed_emails):
    user = make_user("forgetful@example.org")
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert send_owed_emails() == 1
    body = mailoutbox[-1].body
    link = re.search(rf"{settings.SITE_URL}(/accounts/password/reset/key/\S+/)", body)[1]
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_profile_saves_and_normalises_registration_number(practitioner, client_for):
    client = client_for(practitioner)
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Alex Morgan",
            "pseudonym": "frontline_amhp",
            "registration_number": "sw 123456",
            "specialism": "Adult mental health",
            "employer": "",
        },
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.registration_number == "SW123456"
    assert practitioner.pseudonym == "frontline_amhp"


def test_profile_rejects_a_malformed_registration_number(practitioner, client_for):
    response = client_for(practitioner).post(
        reverse("accounts:profile"), {"display_name": "Alex", "registration_number": "123-abc"}
    )
    assert "Enter your registration number as it is on your certificate" in (
        response.content.decode()
    )
    assert 'value="Alex"' in response.content.decode()


@pytest.mark.django_db
def test_staff_access_follows_the_admin_role():
    assert not make_user(role=Role.PRACTITIONER).is_staff
    assert not make_user(role=Role.PROGRAMME_LEADER).is_staff
    admin = User.objects.create_superuser("root@example.org", PASSWORD)
    assert admin.is_staff and admin.is_superuser and admin.role == Role.ADMIN


def test_admin_can_open_the_admin_and_a_practitioner_cannot(practitioner, client_for):
    admin = make_user("boss@example.org", role=Role.ADMIN, is_superuser=True)
    assert client_for(admin).get("/admin/").status_code == 200
    assert client_for(practitioner).get("/admin/").status_code == 302
