import pytest

from accounts.models import Role
from tests.factories import make_user


@pytest.fixture
def admin(db):
    return make_user("curator@example.org", role=Role.ADMIN, display_name="Cara Curator")


@pytest.fixture
def user_for(request):
    """The user a role name stands for in a parametrised test; None for a visitor."""

    def build(role: str | None):
        return request.getfixturevalue(role) if role else None

    return build
