"""The Redis broker of queue mode: Dramatiq's broker, our key names, queue depth, live workers.

Dramatiq keeps the crawl queue and each worker's unacknowledged messages; the
keys below hold what Dramatiq does not: per-source locks, crawl results on their
way back to the scheduler, and the registry of live workers for `status`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis
from dramatiq.brokers.redis import RedisBroker

if TYPE_CHECKING:
    from crawler.config.schema import DispatchConfig

#: The actor the scheduler's messages name; `newswatch worker` declares it.
ACTOR = "crawl_source"
#: How long results and done markers are kept for a scheduler that is away.
RESULT_TTL = 7 * 86400

ConnectionErrors = (redis.ConnectionError, redis.TimeoutError)


def text(value: Any) -> str:
    """A Redis reply as text (the client returns bytes: Dramatiq's messages need them)."""
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True)
class Keys:
    """Redis key names under one namespace."""

    namespace: str

    @property
    def dramatiq(self) -> str:
        return f"{self.namespace}:dramatiq"

    def queue(self, name: str) -> str:
        return f"{self.dramatiq}:{name}"

    def lock(self, source: str) -> str:
        return f"{self.namespace}:lock:{source}"

    def result(self, job: str) -> str:
        return f"{self.namespace}:result:{job}"

    def done(self, job: str) -> str:
        return f"{self.namespace}:done:{job}"

    def acks(self, broker_id: str, queue: str) -> str:
        """Dramatiq's set of messages a worker's broker fetched and has not acknowledged."""
        return f"{self.dramatiq}:__acks__.{broker_id}.{queue}"

    @property
    def heartbeats(self) -> str:
        return f"{self.dramatiq}:__heartbeats__"

    @property
    def workers(self) -> str:
        return f"{self.namespace}:workers"

    def worker(self, name: str) -> str:
        return f"{self.namespace}:worker:{name}"


def connect(config: DispatchConfig) -> redis.Redis:
    """A client with short timeouts: an outage must show as an error, not a hang."""
    return redis.Redis.from_url(
        config.broker_url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=10
    )


def make_broker(config: DispatchConfig, client: redis.Redis) -> RedisBroker:
    """Dramatiq's Redis broker: late acknowledgement, no maintenance of its own.

    No middleware: the crawl runner enforces the time limit, and a crawl that
    went wrong is a recorded outcome, not a message to retry. Dramatiq's
    maintenance re-queues a dead worker's messages only on a random share of
    its calls (minutes late on a quiet queue); the scheduler's reconciler
    (scheduler/queue/reconcile.py) does it within `worker_timeout` instead.
    """
    return RedisBroker(
        client=client,
        namespace=Keys(config.namespace).dramatiq,
        middleware=[],
        heartbeat_timeout=int(config.worker_timeout.total_seconds() * 1000),
        maintenance_chance=0,
    )


def queue_depth(client: redis.Redis, config: DispatchConfig) -> int:
    """Crawl jobs waiting for a worker (not counting the ones running)."""
    return int(client.llen(Keys(config.namespace).queue(config.queue)))


def live_workers(client: redis.Redis, config: DispatchConfig) -> list[dict[str, Any]]:
    """Workers heard from within `worker_timeout`, with what each is crawling."""
    keys = Keys(config.namespace)
    now_ms = time.time() * 1000
    oldest = now_ms - config.worker_timeout.total_seconds() * 1000
    # The dead ones stay listed until the scheduler's reconciler has re-queued their jobs.
    names = [text(name) for name in client.zrangebyscore(keys.workers, oldest, "+inf")]
    workers = []
    for name, raw in zip(
        names, client.mget([keys.worker(n) for n in names]) if names else [], strict=True
    ):
        info = json.loads(raw) if raw else {}
        workers.append({"name": name, **info})
    return workers


def dispatch_status(config: DispatchConfig) -> dict[str, Any]:
    """For `status`: the mode and, in queue mode, queue depth and live workers."""
    if config.mode != "queue":
        return {"mode": config.mode}
    try:
        client = connect(config)
    except ValueError as exc:  # a malformed URL: `status` names it (scheduler/queue/preflight.py)
        return {"mode": config.mode, "reachable": False, "error": f"malformed URL: {exc}"}
    try:
        return {
            "mode": config.mode,
            "reachable": True,
            "queue_depth": queue_depth(client, config),
            "workers": live_workers(client, config),
        }
    except ConnectionErrors as exc:
        return {"mode": config.mode, "reachable": False, "error": str(exc)}
    finally:
        client.close()


def describe(status: dict[str, Any]) -> str:
    """One line for the status table, in queue mode."""
    if not status["reachable"]:
        return f"dispatch: queue, broker unreachable ({status['error']})"
    workers = ", ".join(
        f"{w['name']} ({', '.join(w.get('crawling') or []) or 'idle'})" for w in status["workers"]
    )
    return (
        f"dispatch: queue, {status['queue_depth']} job(s) waiting, "
        f"{len(status['workers'])} live worker(s){': ' + workers if workers else ''}"
    )
