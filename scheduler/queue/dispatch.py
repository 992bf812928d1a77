"""Queue mode, scheduler side: a crawl is a message to the workers, its result a reply.

`QueueRunner` stands where `CrawlRunner` does in the service: `run(source)`
enqueues one crawl job and waits for the worker's result, so the service keeps
deciding when a source is due, one run at a time per source, and records each
run exactly as in embedded mode. While the broker is down, dispatch pauses: a
turn waits for it up to the misfire grace time, then is recorded as skipped.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any

from dramatiq import Message
from dramatiq.errors import BrokerConnectionError

from crawler.base.time import isoformat_utc, parse_utc
from scheduler.queue.broker import ACTOR, ConnectionErrors, Keys, connect, make_broker, text
from scheduler.runner import CrawlResult, RunSkipped

if TYPE_CHECKING:
    import redis

    from crawler.config.schema import DispatchConfig

logger = logging.getLogger(__name__)

RETRY_EVERY = 1.0  # seconds between attempts while the broker is down


def encode_result(result: CrawlResult) -> str:
    return json.dumps(
        {
            "source": result.source,
            "started": isoformat_utc(result.started),
            "ended": isoformat_utc(result.ended),
            "outcome": result.outcome,
            "exit_code": result.exit_code,
            "summary": result.summary,
            "error": result.error,
            "signals": result.signals,
            "worker": result.worker,
            "dispatch": result.dispatch,
        }
    )


def decode_result(raw: bytes | str) -> CrawlResult:
    data: dict[str, Any] = json.loads(raw)
    for key in ("started", "ended"):
        data[key] = parse_utc(data[key])
    return CrawlResult(**data)


class Outages:
    """Logs and counts broker outages once each, however many threads run into them."""

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()
        self.down_since: float | None = None
        self._lock = threading.Lock()

    def down(self, exc: Exception) -> None:
        with self._lock:
            if self.down_since is None:
                self.down_since = time.monotonic()
                self.stats["dispatch/broker_outages"] += 1
                logger.error("broker unreachable (%s): dispatch paused", exc)

    def up(self) -> None:
        with self._lock:
            if self.down_since is not None:
                logger.warning(
                    "broker reachable again after %.1fs: dispatch resumed",
                    time.monotonic() - self.down_since,
                )
                self.down_since = None


class QueueRunner:
    """Runs crawls on `newswatch worker` processes through the Redis broker."""

    def __init__(
        self,
        config: DispatchConfig,
        *,
        misfire_grace: float,
        client: redis.Redis | None = None,
    ) -> None:
        self.config = config
        self.client = client or connect(config)
        self.broker = make_broker(config, self.client)
        self.keys = Keys(config.namespace)
        self.misfire_grace = misfire_grace
        self.outages = Outages()
        self._stopped = threading.Event()

    def expire_all(self) -> None:
        """The scheduler stops: stop waiting for results (the crawls go on on their workers)."""
        self._stopped.set()

    def run(self, source: str) -> CrawlResult:
        """Enqueue one crawl of `source`, wait for its result; RunSkipped if it never went out."""
        job = uuid.uuid4().hex
        paused = self._enqueue(source, job)
        logger.info("source %s: crawl job %s queued", source, job)
        result = decode_result(self._wait(source, job))
        result.dispatch = {**(result.dispatch or {}), "broker_down_s": round(paused, 3)}
        # DEBUG: the service logs the run's one summary line, the worker's name in it.
        logger.debug(
            "source %s: crawl %s on worker %s", source, result.outcome, result.worker or "?"
        )
        return result

    def _enqueue(self, source: str, job: str) -> float:
        """Send the job, retrying while the broker is down; the seconds it waited for it."""
        first = time.monotonic()
        paused = False
        while True:
            message: Message[None] = Message(
                queue_name=self.config.queue,
                actor_name=ACTOR,
                args=(source, job, time.time()),
                kwargs={},
                options={},
            )
            try:
                self.broker.enqueue(message)
            except (*ConnectionErrors, BrokerConnectionError) as exc:
                self.outages.down(exc)
                paused = True
                waited = time.monotonic() - first
                if waited >= self.misfire_grace or self._stopped.is_set():
                    raise RunSkipped(
                        f"broker unreachable for {waited:.0f}s ({exc}): turn not dispatched"
                    ) from exc
                self._stopped.wait(RETRY_EVERY)
                continue
            self.outages.up()
            return time.monotonic() - first if paused else 0.0

    def _wait(self, source: str, job: str) -> str:
        """The worker's result; waits through broker outages, gives up when the service stops."""
        key = self.keys.result(job)
        while not self._stopped.is_set():
            try:
                item = self.client.blpop([key], timeout=1)
            except ConnectionErrors as exc:
                self.outages.down(exc)
                self._stopped.wait(RETRY_EVERY)
                continue
            self.outages.up()
            if item is not None:
                return text(item[1])
        raise RunSkipped(
            f"the scheduler stopped while job {job} of {source} was queued or running on a "
            "worker; the crawl goes on, its outcome is not recorded"
        )
