"""Spool-first bulk writes to Elasticsearch: durable on put, retried, dead-lettered, counted."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, cast

from elastic_transport import TransportError
from elasticsearch import ApiError
from elasticsearch.helpers import streaming_bulk

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from elasticsearch import Elasticsearch

    from crawler.index.elasticsearch.deadletter import DeadLetters
    from crawler.index.elasticsearch.spool import Entry, Spool

logger = logging.getLogger(__name__)

Key = tuple[str, str]  # (kind, document id)

# Per-item statuses worth another try later rather than a dead letter: overload, server
# trouble, and credentials an operator can fix without the document changing.
RETRYABLE = {401, 403, 408, 429}


def retryable(status: Any) -> bool:
    return not isinstance(status, int) or status in RETRYABLE or status >= 500


class BulkWriter:
    """Every write goes to the spool first, then to the cluster in `streaming_bulk` chunks.

    A write leaves the spool only once the cluster acknowledged it or refused it for
    good (then it goes to the dead-letter file). While the cluster is unreachable,
    writes stay spooled and are retried with a growing delay.
    """

    def __init__(
        self,
        client: Elasticsearch,
        indices: Callable[[str], str],
        spool: Spool,
        dead_letters: DeadLetters,
        stats: Counter[str],
        chunk_size: int = 500,
        max_retries: int = 5,
        flush_attempts: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 60.0,
        prepare: Callable[[], None] | None = None,
        background: bool = True,
    ):
        self.client = client
        self.indices = indices  # kind -> index or alias name
        self.spool = spool
        self.dead_letters = dead_letters
        self.stats = stats
        self.chunk_size = chunk_size
        self.max_retries = max_retries
        self.flush_attempts = flush_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        # Run once before the first write: the indices must exist before any write, or
        # the cluster would auto-create them with guessed mappings.
        self.prepare = prepare
        self.pending: dict[Key, Entry] = {}
        self.unavailable: str | None = None  # why the cluster could not be reached
        self._delay = backoff
        self._next_attempt = 0.0
        self._counted: set[int] = set()  # spool seqs already counted as index/spooled
        self._last_version = 0
        # One chunk is sent by a background thread while the caller spools the next:
        # the spool's fsyncs overlap the cluster's indexing. The lock guards the spool
        # connection, `pending` and the counters shared with that thread.
        self.lock = threading.RLock()
        self._executor = (
            ThreadPoolExecutor(1, thread_name_prefix="newswatch-bulk") if background else None
        )
        self._inflight: Future[bool] | None = None
        self._inflight_count = 0

    def version(self) -> int:
        """A fresh external version: microseconds since the epoch, strictly increasing."""
        self._last_version = max(time.time_ns() // 1000, self._last_version + 1)
        return self._last_version

    def submit(self, entry: Entry) -> Entry:
        """Spool durably, then buffer; sends a chunk when the buffer is full."""
        with self.lock:
            entry = self.spool.add(entry)
            self.pending[(entry.kind, entry.doc_id)] = entry
            waiting = len(self.pending) - self._inflight_count
        if waiting >= self.chunk_size:
            self._dispatch()
        return entry

    def submit_many(self, entries: list[Entry]) -> None:
        with self.lock:
            for entry in self.spool.add_many(entries):
                self.pending[(entry.kind, entry.doc_id)] = entry
            waiting = len(self.pending) - self._inflight_count
        if waiting >= self.chunk_size:
            self._dispatch()

    def _dispatch(self) -> None:
        """Hand the buffered writes to the sender thread, once the previous chunk is done."""
        self.wait()
        if self._executor is None:
            self.write()
            return
        if self.unavailable and time.monotonic() < self._next_attempt:
            return  # backing off: the writes wait in the spool
        with self.lock:
            batch = list(self.pending.values())
            self._inflight_count = len(batch)
        self._inflight = self._executor.submit(self._send, batch)

    def wait(self) -> None:
        """Block until the chunk being sent in the background is settled."""
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            try:
                inflight.result()
            finally:
                self._inflight_count = 0

    def close(self) -> None:
        self.wait()
        if self._executor is not None:
            self._executor.shutdown()

    def write(self, attempts: int = 1) -> bool:
        """Send the buffered writes now; True when none is left waiting for the cluster."""
        self.wait()
        for attempt in range(attempts):
            if not self.pending:
                return True
            if self.unavailable and time.monotonic() < self._next_attempt:
                if attempt == attempts - 1:
                    return False
                time.sleep(max(0.0, self._next_attempt - time.monotonic()))
            self._send(list(self.pending.values()))
        return not self.pending

    def drain(self) -> int:
        """Send everything in the spool (earlier runs' leftovers too); how many remain."""
        batch: list[Entry] = []
        for entry in self.spool.entries(self.chunk_size):
            if (entry.kind, entry.doc_id) not in self.pending:
                batch.append(entry)
            if len(batch) >= self.chunk_size:
                if not self._send(batch):
                    return len(self.spool)
                batch = []
        if batch:
            self._send(batch)
        self.write()
        return len(self.spool)

    # -- one round trip per kind ----------------------------------------------------------

    def _send(self, entries: list[Entry]) -> bool:
        if self.prepare is not None:
            try:
                self.prepare()
            except (TransportError, ApiError) as exc:
                self._went_away(exc, entries)
                return False
            self.prepare = None
        by_kind: dict[str, list[Entry]] = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry)
        for kind, group in by_kind.items():
            try:
                done = self._bulk(kind, group)
            except (TransportError, ApiError) as exc:
                self._went_away(exc, group)
                return False
            with self.lock:
                self.spool.remove(done)
                for entry in group:
                    key = (entry.kind, entry.doc_id)
                    if entry.seq in done and self.pending.get(key) is entry:
                        del self.pending[key]
                    if entry.seq in done:
                        self._counted.discard(entry.seq)
            if len(done) < len(group):
                self._went_away(None, [e for e in group if e.seq not in done])
                return False
        self._came_back()
        return True

    def _bulk(self, kind: str, group: list[Entry]) -> set[int]:
        """The spool seqs settled (written, superseded or dead-lettered)."""
        by_id = {entry.doc_id: entry for entry in group}
        done: set[int] = set()
        alias = self.indices(kind)

        def expand(entry: Entry) -> tuple[dict[str, Any], str | None]:
            meta: dict[str, Any] = {
                "_index": entry.target or alias,
                "_id": entry.doc_id,
                "version": entry.version,
                "version_type": "external",
            }
            if kind == "stories" and entry.target is None:
                meta["require_alias"] = True
            return {entry.op: meta}, entry.source

        # Entries are expanded by `expand`: the spooled JSON is sent as is, not re-encoded.
        results = streaming_bulk(
            self.client,
            cast("list[Any]", group),
            chunk_size=self.chunk_size,
            expand_action_callback=cast("Any", expand),
            max_retries=self.max_retries,
            initial_backoff=self.backoff,
            max_backoff=self.max_backoff,
            raise_on_error=False,
            raise_on_exception=False,
            retry_on_status=(429, 502, 503, 504),
        )
        for ok, result in results:
            op, item = next(iter(result.items()))
            entry = by_id[item["_id"]]
            status = item.get("status")
            if ok:
                self.stats["index/written"] += 1
            elif status == 409 and op == "index":
                self.stats["index/superseded"] += 1  # a newer version is already there
            elif status == 404 and op == "delete":
                pass  # already gone
            elif retryable(status):
                self.stats[f"index/errors/{status}"] += 1
                continue
            else:
                self._dead_letter(entry, item)
            done.add(entry.seq)
        return done

    def _dead_letter(self, entry: Entry, item: dict[str, Any]) -> None:
        error = item.get("error")
        reason = error.get("type", "unknown") if isinstance(error, dict) else str(item["status"])
        self.stats[f"index/errors/{reason}"] += 1
        self.stats["index/dead_letter"] += 1
        document = json.loads(entry.source) if entry.source else None
        if isinstance(document, dict):
            # Derived from the story (crawler/index/tokens.py): the letter keeps the story.
            document.pop("tokens", None)
        self.dead_letters.write(entry.kind, entry.doc_id, document, error, item.get("status", "?"))
        logger.error(
            "Elasticsearch refused %s %s (%s): kept in %s",
            entry.kind,
            entry.doc_id,
            reason,
            self.dead_letters.path,
        )

    # -- availability ---------------------------------------------------------------------

    def _went_away(self, exc: Exception | None, entries: Iterable[Entry]) -> None:
        fresh = [e.seq for e in entries if e.seq not in self._counted]
        self._counted.update(fresh)
        self.stats["index/spooled"] += len(fresh)
        if exc is not None:
            reason = type(exc).__name__
            status = getattr(exc, "status_code", None)
            self.stats[f"index/errors/{status or 'connection'}"] += 1
        else:
            reason = "documents rejected with a retryable status"
        if self.unavailable is None:
            self.unavailable = reason
            self.stats["index/unavailable"] += 1
            logger.warning(
                "Elasticsearch not available (%s): keeping writes in the spool %s and retrying",
                reason,
                self.spool.path,
            )
        self._next_attempt = time.monotonic() + self._delay
        self._delay = min(self.max_backoff, self._delay * 2)

    def _came_back(self) -> None:
        if self.unavailable is not None:
            logger.warning(
                "Elasticsearch available again after %s: writing spooled documents",
                self.unavailable,
            )
        self.unavailable = None
        self._delay = self.backoff
        self._next_attempt = 0.0
