"""One crawl per source across all workers: a Redis lock with an expiry, kept alive while held.

The holder refreshes the expiry from a thread; a worker that dies stops
refreshing, so the lock lapses after `ttl` and another worker takes over.
Refresh and release only touch the lock when it still holds this holder's token.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from scheduler.queue.broker import ConnectionErrors, text

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)

# Compare-and-set scripts: a lapsed lock taken over by another worker is left alone;
# one that vanished (a Redis restarted without its data) is taken again.
_REFRESH = """
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
if not holder then
    redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
    return 2
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class SourceLock:
    """`key` held with `token` for `ttl` seconds, refreshed every `ttl / 4` while held."""

    def __init__(self, client: redis.Redis, key: str, token: str, ttl: float) -> None:
        self.client = client
        self.key = key
        self.token = token
        self.ttl_ms = max(int(ttl * 1000), 1000)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._refresh = client.register_script(_REFRESH)
        self._release = client.register_script(_RELEASE)

    def acquire(self) -> bool:
        """Take the lock if it is free; start keeping it alive. False when someone holds it."""
        if not self.client.set(self.key, self.token, nx=True, px=self.ttl_ms):
            return False
        self._stop.clear()
        self._thread = threading.Thread(target=self._keep, name=f"lock {self.key}", daemon=True)
        self._thread.start()
        return True

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return text(value) if value is not None else None

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        try:
            self._release(keys=[self.key], args=[self.token])
        except ConnectionErrors as exc:
            # It lapses on its own after the ttl.
            logger.warning("lock %s: cannot release it (%s); it expires by itself", self.key, exc)

    def _keep(self) -> None:
        interval = self.ttl_ms / 4000
        while not self._stop.wait(interval):
            try:
                kept = self._refresh(keys=[self.key], args=[self.token, self.ttl_ms])
                if kept == 2:
                    logger.warning("lock %s: gone from the broker; taken again", self.key)
                elif not kept:
                    logger.error(
                        "lock %s: lost (it expired); another worker may take over", self.key
                    )
                    return
            except ConnectionErrors as exc:
                logger.debug("lock %s: cannot refresh it (%s)", self.key, exc)  # outage: told once
