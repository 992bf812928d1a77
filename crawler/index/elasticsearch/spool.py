"""A durable on-disk queue of index writes not yet acknowledged by Elasticsearch."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """One write: index (`op="index"`, `source` is the JSON) or delete `doc_id` of `kind`."""

    kind: str  # stories, seen, runs
    doc_id: str
    op: str
    version: int  # external version: later writes of one document win, whatever the order
    source: str | None = None
    target: str | None = None  # a concrete index, when the document lives outside the alias
    seq: int = 0


_SCHEMA = """
CREATE TABLE IF NOT EXISTS spool (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    op TEXT NOT NULL,
    version INTEGER NOT NULL,
    target TEXT,
    source TEXT,
    UNIQUE (kind, doc_id)
)
"""


class Spool:
    """SQLite in WAL mode: `add` returns once the write is durable.

    `synchronous="FULL"` (the default) fsyncs every write: it survives a power cut.
    `"NORMAL"` leaves the write in the OS's cache: it survives the process being killed
    (SIGKILL, OOM), not the machine going down, and costs no disk flush per write.

    One row per document: a newer write of the same document replaces the older one,
    so the spool never grows beyond the number of distinct documents.
    """

    def __init__(self, path: Path, synchronous: str = "FULL"):
        if synchronous.upper() not in ("FULL", "NORMAL"):
            raise ValueError(f"spool synchronous mode must be FULL or NORMAL, not {synchronous!r}")
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every statement is its own durable transaction.
        self._db = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
        _use_wal(self._db)
        self._db.execute(f"PRAGMA synchronous={synchronous.upper()}")
        self._db.execute(_SCHEMA)

    def add(self, entry: Entry) -> Entry:
        """Store durably; the returned entry carries its sequence number."""
        cursor = self._db.execute(
            "INSERT OR REPLACE INTO spool (kind, doc_id, op, version, target, source)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (entry.kind, entry.doc_id, entry.op, entry.version, entry.target, entry.source),
        )
        seq = cursor.lastrowid
        assert seq is not None
        return Entry(
            entry.kind, entry.doc_id, entry.op, entry.version, entry.source, entry.target, seq
        )

    def add_many(self, entries: list[Entry]) -> list[Entry]:
        """`add` for several writes in one durable transaction."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            added = [self.add(entry) for entry in entries]
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return added

    def remove(self, seqs: Iterable[int]) -> None:
        """Forget acknowledged writes (by sequence number: a newer write of a document stays)."""
        rows = [(seq,) for seq in seqs]
        if not rows:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany("DELETE FROM spool WHERE seq = ?", rows)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def entries(self, batch: int = 500) -> Iterator[Entry]:
        """Every spooled write, oldest first, read in batches (constant memory)."""
        last = 0
        while True:
            rows = self._db.execute(
                "SELECT seq, kind, doc_id, op, version, target, source FROM spool"
                " WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for seq, kind, doc_id, op, version, target, source in rows:
                yield Entry(kind, doc_id, op, version, source, target, seq)
            last = rows[-1][0]

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM spool").fetchone()[0])

    def close(self) -> None:
        self._db.close()


def _use_wal(db: sqlite3.Connection, attempts: int = 100) -> None:
    """Switch the spool file to WAL once. The switch needs the file to itself and SQLite
    refuses it at once (no busy wait) while another connection opens it, as the crawl
    engine's concurrent polls do on a new file; the mode persists, so later opens only read."""
    for attempt in range(attempts):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)
