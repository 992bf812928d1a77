"""Seen-URL state between runs: which stories were fetched, and feed validators.

Every look-up and write of the store runs in one worker thread of its own, never
on the Scrapy reactor: a busy index (a long dedup batch holding SQLite's write
lock, a slow cluster) delays a listing's look-up, never the downloads.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from crawler.base.time import isoformat_utc
from crawler.extract.dates import parse_datetime
from crawler.index.seen_store import SeenRecord

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from crawler.listings.listing import ListedEntry

logger = logging.getLogger(__name__)


class SeenBackend(Protocol):
    """The seen-URL port (crawler/index/seen_store.py) with the lifecycle this state's
    worker thread drives: a side backend opened for seen URLs alone."""

    def get_seen(self, urls: Iterable[str]) -> dict[str, SeenRecord]: ...

    def mark_seen(self, records: Iterable[SeenRecord]) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class SeenUrls:
    """A write-behind view of the seen records, with the store behind a worker thread.

    Marks are buffered (any thread; never blocking) and written in batches of
    `batch` by the worker; look-ups see the buffer, so a URL marked a moment ago
    is already seen. Until `open` gives it a store (component tests, a crawl
    with the store off) the state is in memory only.
    """

    def __init__(self, batch: int = 100) -> None:
        self.batch = batch
        self._store: SeenBackend | None = None
        self._worker: ThreadPoolExecutor | None = None
        self._pending: dict[str, SeenRecord] = {}  # marked, not yet written
        self._memory: dict[str, SeenRecord] = {}  # without a store: everything marked
        self._write_queued = False
        # Marks come from the reactor thread and the store pipeline's worker.
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------
    def open(self, opener: Callable[[], SeenBackend]) -> Future[None]:
        """Open the store in the worker; look-ups and marks meanwhile queue behind it."""
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="newswatch-seen")
        return self._worker.submit(self._open, opener)

    def _open(self, opener: Callable[[], SeenBackend]) -> None:
        self._store = opener()

    def close(self) -> Future[None] | None:
        """Write every buffered mark, flush and close the store; then the worker stops."""
        worker, self._worker = self._worker, None
        if worker is None:
            return None
        done = worker.submit(self._close)
        worker.shutdown(wait=False)  # the close job still runs
        return done

    def _close(self) -> None:
        store = self._store
        if store is None:
            return
        try:
            self._write(raise_errors=True)
            store.flush()
        finally:
            store.close()
            self._store = None

    # -- look-ups ---------------------------------------------------------------
    async def get(self, urls: Iterable[str]) -> dict[str, SeenRecord]:
        """The seen records of `urls` (those never seen are absent)."""
        wanted = list(dict.fromkeys(urls))
        worker = self._worker
        if worker is None or not wanted:
            return self._buffered(wanted)
        return await asyncio.wrap_future(worker.submit(self._get, wanted))

    def _get(self, wanted: list[str]) -> dict[str, SeenRecord]:
        assert self._store is not None
        found = self._store.get_seen(wanted)
        # Writes run in this thread too: a record is in the buffer or the store.
        found.update(self._buffered(wanted))
        return found

    def _buffered(self, wanted: list[str]) -> dict[str, SeenRecord]:
        with self._lock:
            found = {}
            for url in wanted:
                record = self._pending.get(url) or self._memory.get(url)
                if record is not None:
                    found[url] = record
            return found

    async def needs_fetch(
        self, entries: list[ListedEntry], key: Callable[[ListedEntry], str]
    ) -> tuple[list[ListedEntry], int]:
        """The entries to fetch: never fetched, or listed as changed since; and the skip count."""
        seen = await self.get(key(entry) for entry in entries)
        wanted = []
        for entry in entries:
            record = seen.get(key(entry))
            if record is None or _changed_since(entry, record):
                wanted.append(entry)
        return wanted, len(entries) - len(wanted)

    # -- marks ---------------------------------------------------------------------
    def mark(
        self,
        url: str,
        *,
        story_id: str | None = None,
        listed_updated: datetime | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        record = SeenRecord(
            url=url,
            fetched_at=isoformat_utc(datetime.now(UTC)) or "",
            story_id=story_id,
            listed_updated=isoformat_utc(listed_updated),
            etag=etag,
            last_modified=last_modified,
        )
        with self._lock:
            worker = self._worker
            if worker is None:
                self._memory[url] = record
                return
            self._pending[url] = record
            if len(self._pending) < self.batch or self._write_queued:
                return
            self._write_queued = True
        worker.submit(self._write)

    def _write(self, raise_errors: bool = False) -> None:
        """Write the buffered marks (in the worker); on failure they wait for the next write."""
        with self._lock:
            self._write_queued = False
            records = list(self._pending.values())
        if not records or self._store is None:
            return
        try:
            self._store.mark_seen(records)
        except Exception as exc:
            if raise_errors:
                raise
            logger.warning(
                "%d seen URLs not written yet: %s: %s", len(records), type(exc).__name__, exc
            )
            return
        with self._lock:
            for record in records:
                # A URL marked again meanwhile keeps its newer record for the next write.
                if self._pending.get(record.url) is record:
                    del self._pending[record.url]


def _changed_since(entry: ListedEntry, record: SeenRecord) -> bool:
    listed = entry.changed
    if listed is None:
        return False  # nothing says it changed
    recorded = parse_datetime(record.listed_updated) if record.listed_updated else None
    return recorded is None or listed > recorded
