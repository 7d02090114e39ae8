"""What the broker still holds: the task messages waiting in Redis, queued or reserved.

kombu's Redis transport keeps a queue as a list named after it, each element a JSON message
whose headers name the task and whose body (base64 JSON: args, kwargs, options) carries its
arguments; a message a worker has taken but not acknowledged (ours acknowledge late, so every
running, prefetched or retry-delayed task) sits in the ``unacked`` hash, its time of taking in
the ``unacked_index`` sorted set, until it is acknowledged or, if its worker died, put back in
the queue after the visibility timeout (an hour). So a message taken recently will run; one
taken long ago may belong to a dead worker and wait an hour, and does not count.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator

from celery import Celery
from kombu.utils import json as kombu_json

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
        args = kombu_json.loads(body)[0]  # kombu's JSON: a UUID comes back a UUID
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return (task, str(args[0])) if args else None


def _raw_messages(client, queues: list[str], channel, taken_since: float) -> Iterator[bytes]:
    for queue in queues:
        for start in range(0, client.llen(queue), READ_AT_ONCE):
            yield from client.lrange(queue, start, start + READ_AT_ONCE - 1)
    tags = client.zrangebyscore(channel.unacked_index_key, taken_since, "+inf")
    for start in range(0, len(tags), READ_AT_ONCE):
        for taken in client.hmget(channel.unacked_key, tags[start : start + READ_AT_ONCE]):
            if taken:
                yield json.dumps(json.loads(taken)[0])  # [message, exchange, routing key]


def _queue_names(app: Celery) -> list[str]:
    declared = [queue.name for queue in app.conf.task_queues or ()]
    return list(dict.fromkeys([*declared, app.conf.task_default_queue]))


def tasks_in_broker(app: Celery, taken_within: float) -> set[tuple[str, str]] | None:
    """(task name, first argument) of every message in any of our queues (heavy and light,
    CELERY_TASK_QUEUES, and the default) or taken by a worker
    in the last ``taken_within`` seconds; None when that cannot be known (a broker other than
    Redis, or Redis down)."""
    if not app.conf.broker_url.startswith(("redis://", "rediss://")):
        return None
    try:
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            raw = _raw_messages(
                channel.client,
                _queue_names(app),
                channel,
                time.time() - taken_within,
            )
            return {found for found in map(_decoded, raw) if found}
    except Exception:
        logger.warning("Could not read the task queue", exc_info=True)
        return None
