from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .tokens import TokenRejected, authenticate_secret

KEYWORD = b"bearer"


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer cpd_…`` with a personal access token. ``request.auth`` is the
    AccessToken, which TokenScopeAllows reads."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD:
            return None  # not ours: the session may still authenticate the request
        if len(words) != 2:
            raise AuthenticationFailed("Send the token as “Authorization: Bearer <token>”.")
        try:
            secret = words[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed("This token is not valid.") from error
        try:
            token = authenticate_secret(secret)
        except TokenRejected as error:
            raise AuthenticationFailed(str(error)) from error
        return token.owner, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated request answer 401 (with this challenge) rather than 403.
        return 'Bearer realm="api"'
