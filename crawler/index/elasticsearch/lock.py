"""A cross-process lease in the locks index, serialising dedup decisions."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING

from elasticsearch import ConflictError, NotFoundError

from crawler.index.elasticsearch import conditional
from crawler.index.errors import IndexLocked

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)


class Lease:
    """`op_type=create` on one document: exactly one process succeeds until it deletes it.

    A lease carries an expiry, so a crashed holder blocks others at most `ttl` seconds;
    the takeover deletes the expired document only if it is still the one seen
    (`if_seq_no`), so two waiters cannot both take it over.
    """

    def __init__(
        self,
        client: Elasticsearch,
        index: str,
        name: str = "dedup",
        ttl: float = 60.0,
        timeout: float = 120.0,
        poll: float = 0.05,
    ):
        self.client = client
        self.index = index
        self.name = name
        self.ttl = ttl
        self.timeout = timeout
        self.poll = poll
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    @contextmanager
    def hold(self, before_release: Callable[[], None] | None = None) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            try:
                if before_release is not None:
                    before_release()
            finally:
                self.release()

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        delay = self.poll
        while True:
            now_ms = int(time.time() * 1000)
            try:
                self.client.create(
                    index=self.index,
                    id=self.name,
                    refresh=False,
                    document={
                        "holder": self.holder,
                        "acquired": now_ms,
                        "expires": now_ms + int(self.ttl * 1000),
                    },
                )
                return
            except ConflictError:
                self._take_over_expired(now_ms)
            if time.monotonic() >= deadline:
                raise IndexLocked(
                    f"the {self.name} lock in {self.index} stayed held for {self.timeout:.0f}s"
                )
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def _take_over_expired(self, now_ms: int) -> None:
        try:
            current = self.client.get(index=self.index, id=self.name)
        except NotFoundError:
            return
        if current["_source"]["expires"] > now_ms:
            return
        logger.warning(
            "taking over the expired %s lock of %s", self.name, current["_source"]["holder"]
        )
        # Conditional on the version seen: of two waiters, only one takes it over.
        conditional.delete(self.client, self.index, self.name, current.body)

    def release(self) -> None:
        try:
            current = self.client.get(index=self.index, id=self.name)
        except NotFoundError:
            return
        if current["_source"]["holder"] != self.holder:
            logger.warning(
                "the %s lock was taken over by %s while held by %s",
                self.name,
                current["_source"]["holder"],
                self.holder,
            )
            return
        conditional.delete(self.client, self.index, self.name, current.body)
