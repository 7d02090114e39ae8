"""Calling the API as a token holder, as the browser's session, or as nobody."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.models import Scope
from api.tokens import create_token


@pytest.fixture
def secret_for():
    """A new token's secret for ``user``."""

    def build(user, scope: str = Scope.WRITE, **fields) -> str:
        return create_token(user, name="Test app", scope=scope, **fields)[1]

    return build


@pytest.fixture
def api_for(secret_for):
    """An API client sending a ``scope`` token of ``user``; anonymous for None."""

    def build(user, scope: str = Scope.WRITE) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret_for(user, scope)}")
        return client

    return build
