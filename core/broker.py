"""What the broker still holds: the task messages waiting in Redis, queued or reserved.

kombu's Redis transport keeps a queue as a list named after it, each element a JSON message
whose headers name the task and whose body (base64 JSON: args, kwargs, options) carries its
arguments; a message a worker has taken but not acknowledged (ours acknowledge late, so every
running or prefetched task) sits in the ``unacked`` hash until it is acknowledged or, if its
worker died, put back in the queue after the visibility timeout. Either way it will run.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator

from celery import Celery

logger = logging.getLogger(__name__)

READ_AT_ONCE = 1000  # messages read from Redis per round trip


def _decoded(raw: bytes | str) -> tuple[str, str] | None:
    """(task name, first argument as text) of one message, or None if it is not one of ours."""
    try:
        message = json.loads(raw)
        task = message["headers"]["task"]
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return (task, str(args[0])) if args else None


def _raw_messages(client, queue: str, unacked_key: str) -> Iterator[bytes]:
    for start in range(0, client.llen(queue), READ_AT_ONCE):
        yield from client.lrange(queue, start, start + READ_AT_ONCE - 1)
    for reserved in client.hscan_iter(unacked_key, count=READ_AT_ONCE):
        message = json.loads(reserved[1])[0]  # [message, exchange, routing key]
        yield json.dumps(message)


def tasks_in_broker(app: Celery) -> set[tuple[str, str]] | None:
    """(task name, first argument) of every message in the default queue or reserved by a
    worker; None when that cannot be known (a broker other than Redis, or Redis down)."""
    if not app.conf.broker_url.startswith(("redis://", "rediss://")):
        return None
    try:
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            raw = _raw_messages(channel.client, app.conf.task_default_queue, channel.unacked_key)
            return {found for found in map(_decoded, raw) if found}
    except Exception:
        logger.warning("Could not read the task queue", exc_info=True)
        return None
