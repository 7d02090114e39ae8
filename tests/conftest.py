import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits live in the cache; one test's logins must not throttle the next.
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores evidence files in its own directory."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture
def practitioner(db):
    return make_user("alex@example.org", display_name="Alex Morgan")


@pytest.fixture
def other_practitioner(db):
    return make_user("jo@example.org", display_name="Jo Other")


@pytest.fixture
def programme_leader(db):
    return make_user("leader@example.org", role=Role.PROGRAMME_LEADER, display_name="Dr Sam Patel")


@pytest.fixture
def client_for():
    def build(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return build
