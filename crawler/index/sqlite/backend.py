"""The embedded default index: one SQLite file (WAL, FTS5), no server."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from crawler.index.backend import IndexBackend
from crawler.index.errors import IndexLocked
from crawler.index.search_index import Aggregations, NameKind, SearchPage, SearchRequest
from crawler.index.seen_store import SeenRecord
from crawler.index.sqlite import search as sqlite_search
from crawler.index.sqlite import store as sqlite_store
from crawler.index.sqlite.alerts import SqliteAlertState
from crawler.index.sqlite.furniture import SqliteFurnitureStore
from crawler.index.sqlite.held import SqliteHeldPages
from crawler.index.sqlite.reanalyse import reanalyse_if_changed
from crawler.index.sqlite.schema import connect, migrate
from crawler.index.sqlite.searches import SqliteSavedSearches
from crawler.story import Story

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Stories sharing LSH bands with a page, most shared first (ties: oldest first).
# CROSS JOIN pins the loop order: one band-index look-up per key of the page.
# Left free, the planner may prefer scanning every band row in story order to
# save the GROUP BY sort, which costs as much as the index is large.
CANDIDATES_SQL = """
    SELECT s.doc FROM (
        SELECT b.story, count(*) AS shared
        FROM json_each(?) AS k CROSS JOIN story_bands AS b ON b.band = k.value
        GROUP BY b.story ORDER BY shared DESC, b.story LIMIT ?
    ) c JOIN stories s ON s.rowid = c.story
    ORDER BY c.shared DESC, s.rowid"""

SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
SEEN_FIELDS = ("url", "fetched_at", "story_id", "listed_updated", "etag", "last_modified")


class SqliteBackend(IndexBackend):
    """Stories, dedup state, seen URLs and run history in one SQLite file.

    Safe for concurrent readers and one writer across processes (WAL). Writes
    commit before they return, so a put is durable when `put_story` returns;
    inside `dedup_lock()` the puts join the lock's transaction and are durable
    when the with-block exits (the dedup engine returns its outcome, and the
    crawler acknowledges the story, only after that).
    """

    name = "embedded"

    def __init__(
        self, path: Path | str, *, busy_timeout: float = 60.0, synchronous: str = "FULL"
    ) -> None:
        self.path = Path(path)
        # How long a writer waits for another process's transaction (a crawl
        # holding the dedup lock) before giving up with "database is locked".
        self.busy_timeout_ms = int(busy_timeout * 1000)
        # FULL: a committed put survives a power cut, not only a killed process.
        self.synchronous = synchronous
        if synchronous.upper() not in SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS)}")
        self._conn: sqlite3.Connection | None = None
        # Copied into the crawl's stats by the store pipeline.
        self.stats: Counter[str] = Counter()
        # One connection shared by threads (the HTTP API's pool); RLock so that
        # puts inside dedup_lock() on the same thread re-enter.
        self._lock = threading.RLock()
        self._in_transaction = False

    # lifecycle -----------------------------------------------------------
    def open(self) -> None:
        with self._lock:
            if self._conn is not None:
                return
            conn = self._connect()
            try:
                migrate(conn, self.path)
                reanalyse_if_changed(conn, self.path)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
            logger.debug("embedded index %s open", self.path)

    def close(self) -> None:
        with self._lock:
            if self._conn is None:
                return
            try:
                self._conn.execute("PRAGMA optimize")
            except sqlite3.OperationalError as exc:
                # Only a planner hint; it may need the write lock another process
                # holds, and SQLite then answers "locked" at once. Nothing is lost.
                logger.debug("embedded index %s: optimize skipped: %s", self.path, exc)
            finally:
                self._conn.close()
                self._conn = None

    def _connect(self) -> sqlite3.Connection:
        return connect(
            self.path, busy_timeout_ms=self.busy_timeout_ms, synchronous=self.synchronous
        )

    # stories -------------------------------------------------------------
    def get_story(self, story_id: str) -> Story | None:
        return self._doc("SELECT doc FROM stories WHERE id = ?", (story_id,))

    def find_by_url(self, url: str) -> Story | None:
        return self._doc(
            "SELECT s.doc FROM story_urls u JOIN stories s ON s.rowid = u.story "
            "WHERE u.url = ? ORDER BY s.rowid LIMIT 1",
            (url,),
        )

    def find_by_content_hash(self, content_hash: str) -> Story | None:
        return self._doc(
            "SELECT s.doc FROM story_hashes h JOIN stories s ON s.rowid = h.story "
            "WHERE h.hash = ? ORDER BY s.rowid LIMIT 1",
            (content_hash,),
        )

    def find_candidates(self, band_keys: Iterable[str], limit: int = 20) -> list[Story]:
        keys = sorted(set(band_keys))
        if not keys or limit < 1:
            return []
        # One look-up per band key in the band index: the cost depends on how
        # many stories share the page's bands, never on the size of the index.
        rows = self._read(
            lambda conn: conn.execute(CANDIDATES_SQL, (json.dumps(keys), limit)).fetchall()
        )
        return [Story.from_document(json.loads(doc)) for (doc,) in rows]

    def put_story(self, story: Story) -> None:
        try:
            self._write(lambda conn: sqlite_store.write_story(conn, story.to_document()))
        except ValueError as exc:
            self.stats["index/errors/invalid_story"] += 1
            logger.warning("%s: story not indexed: %s", story.url, exc)
            raise
        self.stats["index/stories_written"] += 1

    def delete_story(self, story_id: str) -> None:
        self._write(lambda conn: sqlite_store.delete_story(conn, story_id))

    def flush(self) -> None:
        """Nothing to do: every put is committed (or, inside dedup_lock, visible to
        this connection's look-ups) as soon as it returns."""
        self._read(lambda conn: None)

    @contextmanager
    def dedup_lock(self) -> Iterator[None]:
        """Hold SQLite's write lock (BEGIN IMMEDIATE) for the with-block.

        Another process's dedup_lock() or write waits until this block commits;
        look-ups inside the block see every story committed before it.
        """
        with self._lock:
            if self._in_transaction:  # nested: already serialised
                yield
                return
            conn = self._connection()
            self._begin(conn)
            self._in_transaction = True
            try:
                yield
            except BaseException:
                _rollback(conn)
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._in_transaction = False

    def count(self) -> int:
        return int(self._read(lambda c: c.execute("SELECT count(*) FROM stories").fetchone()[0]))

    # seen URLs -----------------------------------------------------------
    def get_seen(self, urls: Iterable[str]) -> dict[str, SeenRecord]:
        wanted = json.dumps(list(dict.fromkeys(urls)))
        rows = self._read(
            lambda conn: conn.execute(
                f"SELECT {', '.join(SEEN_FIELDS)} FROM seen "
                "WHERE url IN (SELECT value FROM json_each(?))",
                (wanted,),
            ).fetchall()
        )
        return {row[0]: SeenRecord(*row) for row in rows}

    def mark_seen(self, records: Iterable[SeenRecord]) -> None:
        rows = [tuple(getattr(r, f) for f in SEEN_FIELDS) for r in records]
        if rows:
            self._write(
                lambda conn: conn.executemany(
                    f"INSERT OR REPLACE INTO seen ({', '.join(SEEN_FIELDS)}) "
                    f"VALUES ({', '.join('?' * len(SEEN_FIELDS))})",
                    rows,
                )
            )

    # search --------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchPage:
        return self._read(lambda conn: sqlite_search.search(conn, request))

    def aggregate(
        self, request: SearchRequest, size: int = 10, estimate_above: int | None = None
    ) -> Aggregations:
        return self._read(lambda conn: sqlite_search.aggregate(conn, request, size, estimate_above))

    def search_with_facets(
        self, request: SearchRequest, size: int = 10, estimate_above: int | None = None
    ) -> tuple[SearchPage, Aggregations]:
        return self._read(
            lambda conn: sqlite_search.search_with_facets(conn, request, size, estimate_above)
        )

    def stored_names(self, kind: NameKind) -> list[str]:
        return self._read(lambda conn: sqlite_search.stored_names(conn, kind))

    def export(self, request: SearchRequest) -> Iterator[Story]:
        """Every match, newest first, from a connection of its own.

        A separate connection reads one consistent snapshot without holding this
        backend's lock while the caller consumes the stream.
        """
        # A closed backend or a malformed query fails here, not at the first next().
        self._connection()
        return self._export(sqlite_search.select(request))

    def _export(self, selection: sqlite_search.Selection) -> Iterator[Story]:
        with closing(self._connect()) as conn:
            yield from sqlite_search.export(conn, selection)

    # run history ---------------------------------------------------------
    def record_run(self, run: dict[str, Any]) -> None:
        run = {**run, "id": run.get("id") or uuid.uuid4().hex}
        started = sqlite_store.sort_time(run.get("started"), what=f"run {run['id']}: started")
        self._write(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO runs (id, source, started, doc) VALUES (?, ?, ?, ?)",
                (run["id"], run.get("source"), started, sqlite_store.dumps(run)),
            )
        )

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        where, params = ("WHERE source = ?", [source]) if source is not None else ("", [])
        rows = self._read(
            lambda conn: conn.execute(
                f"SELECT doc FROM runs {where} ORDER BY started DESC, rowid DESC LIMIT ?",
                [*params, limit],
            ).fetchall()
        )
        return [json.loads(doc) for (doc,) in rows]

    def furniture_store(self) -> SqliteFurnitureStore:
        return SqliteFurnitureStore(self._read, self._write)

    def held_pages(self) -> SqliteHeldPages:
        return SqliteHeldPages(self)

    def alert_state(self) -> SqliteAlertState:
        return SqliteAlertState(self.path)

    def saved_searches(self) -> SqliteSavedSearches:
        return SqliteSavedSearches(self.path)

    # plumbing ------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"embedded index {self.path} is not open (call open() first)")
        return self._conn

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return fn(self._connection())

    def _write(self, fn: Callable[[sqlite3.Connection], object]) -> None:
        """Run `fn` in its own committed transaction, or in dedup_lock's if one is open."""
        with self._lock:
            conn = self._connection()
            if self._in_transaction:
                # Part of the lock's transaction. Writers check their input before
                # they write, so a refused story leaves nothing half-written.
                fn(conn)
                return
            self._begin(conn)
            try:
                fn(conn)
            except BaseException:
                _rollback(conn)
                raise
            conn.execute("COMMIT")

    def _begin(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise IndexLocked(
                f"embedded index {self.path} is locked: another process kept its write lock "
                f"for more than {self.busy_timeout_ms / 1000:g}s ({exc})"
            ) from exc

    def _doc(self, sql: str, params: tuple[Any, ...]) -> Story | None:
        row = self._read(lambda conn: conn.execute(sql, params).fetchone())
        return None if row is None else Story.from_document(json.loads(row[0]))


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite rolls back by itself on some errors (disk full, I/O): nothing left to undo.
    if conn.in_transaction:
        conn.execute("ROLLBACK")
