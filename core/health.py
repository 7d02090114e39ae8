"""Whether the deployment works, for a load balancer and for monitoring (django-health-check).

Two answers, both JSON, never cached, open without a login:
- /health/web/: what this web process needs to serve pages (the database, the cache, the
  evidence storage). The load balancer probes it, so a stopped scheduler takes no server out.
- /health/: that, and the background work too: the Celery broker, and a heartbeat that beat
  sends every minute and a worker records (core.tasks.beat_heartbeat). Monitoring
  alerts on it.

Anyone sees only {"status": "ok"} (200) or {"status": "unavailable"} (503): which part failed,
and how, tells an outsider about the servers behind. A signed-in admin, or a monitor sending
`Authorization: Bearer <HEALTH_CHECK_TOKEN>`, sees each check's result as well.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

BEAT_HEARTBEAT_KEY = "health:beat-heartbeat"


def record_beat_heartbeat() -> None:
    """Beat sent a heartbeat and a worker ran it: remember when, for BEAT_HEARTBEAT_MAX_AGE_SECONDS.
    The cache forgets it after that, so a missing key means the heartbeat is late."""
    cache.set(
        BEAT_HEARTBEAT_KEY,
        timezone.now().isoformat(),
        timeout=settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS,
    )


@dataclasses.dataclass
class BeatHeartbeat(HealthCheck):
    """Fails when no heartbeat was recorded within BEAT_HEARTBEAT_MAX_AGE_SECONDS: beat is not
    sending, no worker is consuming, or the queue is far behind."""

    def run(self) -> None:
        if cache.get(BEAT_HEARTBEAT_KEY) is None:
            raise ServiceUnavailable("no heartbeat from Celery beat and a worker lately")


def _broker() -> HealthCheck:
    return Redis(client_factory=lambda: RedisClient.from_url(settings.CELERY_BROKER_URL))


WEB_CHECKS: dict[str, Callable[[], HealthCheck]] = {
    "database": Database,
    "cache": Cache,
    "storage": Storage,
}
BACKGROUND_CHECKS: dict[str, Callable[[], HealthCheck]] = {
    "broker": _broker,
    "beat": BeatHeartbeat,
}


class HealthView(HealthCheckView):
    """django-health-check's view (never cached, outside any transaction), answering in JSON
    only and with details only for those allowed them."""

    checks_by_name: dict[str, Callable[[], HealthCheck]] = WEB_CHECKS

    async def get(self, request: HttpRequest, *args, **kwargs) -> JsonResponse:
        # Without a broker (no REDIS_URL) tasks run in-process: there is no broker or beat.
        checks = {
            name: check
            for name, check in self.checks_by_name.items()
            if settings.REDIS_URL or name not in BACKGROUND_CHECKS
        }
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(make_check().get_result(executor) for make_check in checks.values())
            )
        healthy = not any(result.error for result in results)
        body: dict[str, object] = {"status": "ok" if healthy else "unavailable"}
        if await _may_see_details(request):
            body["checks"] = {
                name: str(result.error) if result.error else "ok"
                for name, result in zip(checks, results, strict=True)
            }
        return JsonResponse(body, status=200 if healthy else 503)


async def _may_see_details(request: HttpRequest) -> bool:
    token = settings.HEALTH_CHECK_TOKEN
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    if token and scheme == "Bearer" and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    user = await request.auser()
    return user.is_staff
