import pytest

from accounts.models import Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests make several users each; the password hash is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin(db):
    return make_user("curator@example.org", role=Role.ADMIN, display_name="Cara Curator")


@pytest.fixture
def user_for(request):
    """The user a role name stands for in a parametrised test; None for a visitor."""

    def build(role: str | None):
        return request.getfixturevalue(role) if role else None

    return build
