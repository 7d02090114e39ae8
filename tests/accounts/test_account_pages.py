"""allauth's pages in the site's words, and the name asked for at sign-up."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

from accounts.models import User
from accounts.names import DISPLAY_NAME_MAX_LENGTH, clean_display_name
from tests.factories import PASSWORD, make_user

# Stock allauth phrases that must not reach a page.
STOCK = ["for user", "Sign In", "Sign Up", "Signup", "Please ", "Thank you for using"]

SIGNED_OUT_PAGES = {
    "account_login": "Log in",
    "account_signup": "Create an account",
    "account_reset_password": "Reset your password",
    "account_reset_password_done": "Check your email",
    "account_email_verification_sent": "Check your email",
}
SIGNED_IN_PAGES = {
    "account_logout": "Log out",
    "account_email": "Your email addresses",
    "account_change_password": "Change your password",
}


def heading(response) -> str:
    page = response.content.decode()
    return page.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(("name", "title"), SIGNED_OUT_PAGES.items())
def test_pages_for_getting_in_speak_plainly(name, title, client, db):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert heading(response) == title
    page = response.content.decode()
    assert not [phrase for phrase in STOCK if phrase in page]
    assert 'placeholder="' not in page  # every field is labelled instead


@pytest.mark.parametrize(("name", "title"), SIGNED_IN_PAGES.items())
def test_pages_for_looking_after_an_account_speak_plainly(name, title, practitioner, client_for):
    response = client_for(practitioner).get(reverse(name))

    assert response.status_code == 200
    assert heading(response) == title
    page = response.content.decode()
    assert not [phrase for phrase in STOCK if phrase in page]
    assert 'placeholder="' not in page


def test_the_confirmation_page_names_the_address_not_a_user(client, db):
    user = make_user("new@example.org")
    address = EmailAddress.objects.get(user=user)
    address.verified = False
    address.save()
    key = EmailConfirmationHMAC(address).key

    response = client.get(reverse("account_confirm_email", args=[key]))

    assert heading(response) == "Confirm your email address"
    page = response.content.decode()
    assert "Is <strong>new@example.org</strong> your address?" in page
    assert "for user" not in page


def test_an_expired_confirmation_link_says_what_to_do(client, db):
    response = client.get(reverse("account_confirm_email", args=["made-up"]))

    assert "This link has expired or has already been used." in response.content.decode()


def test_a_used_reset_link_says_so(client, db):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "made-up"})

    response = client.get(url, follow=True)

    assert heading(response) == "This link no longer works"


def sign_up(client, **fields):
    data = {"email": "sam@example.org", "password1": PASSWORD, "password2": PASSWORD} | fields
    return client.post(reverse("account_signup"), data)


def test_sign_up_needs_a_name(client, db):
    response = sign_up(client, display_name="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["display_name"] == ["This field is required."]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("<b>Sam</b>", "A name cannot contain < or >. Type it as plain text."),
        (
            "S" * 81,
            f"Ensure this value has at most {DISPLAY_NAME_MAX_LENGTH} characters (it has 81).",
        ),
    ],
)
def test_sign_up_refuses_a_name_with_markup_or_too_long(typed, error, client, db):
    response = sign_up(client, display_name=typed)

    assert error in response.context["form"].errors["display_name"]
    assert not User.objects.exists()


def test_sign_up_saves_the_name_tidied(client, db):
    assert sign_up(client, display_name="  Sam \t Social ").status_code == 302

    assert User.objects.get().display_name == "Sam Social"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(" Ann  Lee ", "Ann Lee"), ("O’Brien-Smith", "O’Brien-Smith"), ("Ann\x00Lee", "Ann Lee")],
)
def test_clean_display_name(typed, expected):
    assert clean_display_name(typed) == expected


def test_the_profile_uses_the_same_rules(practitioner, client_for):
    response = client_for(practitioner).post(
        reverse("accounts:profile"), {"display_name": "<script>", "time_zone": "Europe/London"}
    )

    assert response.context["form"].errors["display_name"] == [
        "A name cannot contain < or >. Type it as plain text."
    ]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_logging_in_and_out_is_told_in_the_sites_words(client, db):
    make_user("sam@example.org", display_name="Sam Patel")

    logged_in = client.post(
        reverse("account_login"),
        {"login": "sam@example.org", "password": PASSWORD},
        follow=True,
    )
    logged_out = client.post(reverse("account_logout"), follow=True)

    assert messages_of(logged_in) == ["Welcome back, Sam Patel."]
    assert messages_of(logged_out) == ["You have logged out. See you next time."]


def test_changing_the_password_is_told_in_the_sites_words(client, db):
    user = make_user("sam@example.org")
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase-9",
            "password2": "a-new-long-passphrase-9",
        },
        follow=True,
    )

    assert messages_of(response) == ["Your password is changed."]


def test_the_two_factor_page_speaks_plainly(client, db):
    client.force_login(make_user("sam@example.org"))

    response = client.get(reverse("mfa_index"))

    page = response.content.decode()
    assert heading(response).strip() == "Two-factor authentication"
    assert "Set up an authenticator app" in page and "Add a security key" in page
    for stock in ["Authenticator App", "Two-Factor", "Recovery Codes", ">Activate<", "Generate"]:
        assert stock not in page
