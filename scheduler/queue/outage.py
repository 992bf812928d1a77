"""Broker outages told once: one line when one starts, one with a count when it ends.

A broker that was reachable and goes away is an outage (dispatch pauses, workers
wait); however many threads run into it, and however often Dramatiq's consumer
retries, the log gets two lines. A broker refused at start-up is a
configuration error instead (scheduler/queue/preflight.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

logger = logging.getLogger(__name__)

#: Dramatiq's consumer logs these at every retry (every few seconds) while the broker is away.
DRAMATIQ_RETRY_LINES = ("Consumer encountered a connection error", "Restarting consumer in")


class Outages:
    """Counts failed broker calls between the first failure and the next success."""

    def __init__(self, who: str, *, paused: str = "dispatch paused", resumed: str = "resumed"):
        self.who = who
        self.paused = paused
        self.resumed = resumed
        self.stats: Counter[str] = Counter()
        self.down_since: float | None = None
        self.failures = 0
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        return self.down_since is not None

    def down(self, exc: BaseException | str) -> None:
        with self._lock:
            self.failures += 1
            if self.down_since is None:
                self.down_since = time.monotonic()
                self.failures = 1
                self.stats["dispatch/broker_outages"] += 1
                logger.error("%s: broker unreachable (%s): %s", self.who, exc, self.paused)

    def up(self) -> None:
        with self._lock:
            if self.down_since is not None:
                logger.warning(
                    "%s: broker reachable again after %.1fs (%d failed call(s)): %s",
                    self.who,
                    time.monotonic() - self.down_since,
                    self.failures,
                    self.resumed,
                )
                self.down_since = None
                self.failures = 0


class DramatiqRetries(logging.Filter):
    """Drops Dramatiq's per-retry CRITICAL lines; the outage they report is counted instead."""

    def __init__(self, outages: Outages) -> None:
        super().__init__()
        self.outages = outages

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if not message.startswith(DRAMATIQ_RETRY_LINES):
            return True
        if message.startswith(DRAMATIQ_RETRY_LINES[0]):
            self.outages.down(record.getMessage().split(": ", 1)[-1])
        return False


def quiet_dramatiq(outages: Outages, queue: str) -> None:
    """Install the filter on the loggers of the consumers of `queue` (and its delay queue)."""
    for name in (queue, f"{queue}.DQ"):
        logging.getLogger(f"dramatiq.worker.ConsumerThread({name})").addFilter(
            DramatiqRetries(outages)
        )
