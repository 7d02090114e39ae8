"""Rate limits: per address for anonymous calls, per user across all their tokens and their
session, and per token. Rates are DEFAULT_THROTTLE_RATES in settings.REST_FRAMEWORK."""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings

from core.client_address import client_address

from .models import AccessToken


class _RateFromSettings:
    def get_rate(self) -> str | None:
        # DRF binds the rates to its classes when they are imported; reading them here instead
        # lets the settings change (a test lowering a rate) take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class _CountedByClient:
    def get_ident(self, request) -> str:
        # The client as every rate limit sees it, rather than DRF's own NUM_PROXIES reading.
        return client_address(request)


class AnonThrottle(_CountedByClient, _RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(_CountedByClient, _RateFromSettings, throttling.UserRateThrottle):
    pass


class TokenThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    """Each token its own budget, so one busy script does not use up its owner's others."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, AccessToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
