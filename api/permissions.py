from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import AccessToken


class TokenScopeAllows(BasePermission):
    """A read token may only read. Requests signed in with the session are not limited here:
    the browser's user can do through the API what they can do on the pages."""

    message = (
        "This token may only read. To create, change or delete entries, create a token with "
        "read and write access on your profile."
    )

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if request.method in SAFE_METHODS or not isinstance(token, AccessToken):
            return True
        return token.can_write
