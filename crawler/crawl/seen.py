"""Seen-URL state between runs: which stories were fetched, and feed validators."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.extract.dates import isoformat_utc, parse_datetime
from crawler.index.seen_store import SeenRecord

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from crawler.crawl.listing import ListedEntry
    from crawler.index.seen_store import SeenStore

logger = logging.getLogger(__name__)


class SeenState:
    """A write-behind view of the backend's seen records.

    Records are buffered and written in batches (and on `flush`), but reads
    see the buffer, so a URL marked a moment ago is already seen. Without a
    backend (component tests, `scrapy crawl` with the store off) it is
    in-memory only.
    """

    def __init__(self, backend: SeenStore | None = None, batch: int = 100) -> None:
        self.backend = backend
        self.batch = batch
        self._pending: dict[str, SeenRecord] = {}
        self._memory: dict[str, SeenRecord] = {}
        # The spider marks from the reactor thread, the store pipeline from its worker.
        self._lock = threading.RLock()

    def get(self, urls: Iterable[str]) -> dict[str, SeenRecord]:
        wanted = list(dict.fromkeys(urls))
        found: dict[str, SeenRecord] = {}
        if self.backend is not None and wanted:
            found.update(self.backend.get_seen(wanted))
        with self._lock:
            for url in wanted:
                record = self._pending.get(url) or self._memory.get(url)
                if record is not None:
                    found[url] = record
        return found

    def needs_fetch(
        self, entries: list[ListedEntry], key: Callable[[ListedEntry], str]
    ) -> tuple[list[ListedEntry], int]:
        """The entries to fetch: never fetched, or listed as changed since; and the skip count."""
        seen = self.get(key(entry) for entry in entries)
        wanted = []
        for entry in entries:
            record = seen.get(key(entry))
            if record is None or _changed_since(entry, record):
                wanted.append(entry)
        return wanted, len(entries) - len(wanted)

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
            if self.backend is None:
                self._memory[url] = record
                return
            self._pending[url] = record
            if len(self._pending) >= self.batch:
                self.flush()

    def flush(self) -> None:
        with self._lock:
            if self.backend is not None and self._pending:
                self.backend.mark_seen(list(self._pending.values()))
                self._pending.clear()


def _changed_since(entry: ListedEntry, record: SeenRecord) -> bool:
    listed = entry.changed
    if listed is None:
        return False  # nothing says it changed
    recorded = parse_datetime(record.listed_updated) if record.listed_updated else None
    return recorded is None or listed > recorded
