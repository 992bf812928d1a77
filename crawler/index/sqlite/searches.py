"""Saved searches in the embedded index's SQLite file (the table of its migration 6)."""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import TYPE_CHECKING

from crawler.index.saved_searches import SavedSearch

if TYPE_CHECKING:
    from pathlib import Path

BUSY_TIMEOUT_S = 30.0


class SqliteSavedSearches:
    """Its own connection: a save never waits on a crawl's transaction past the timeout."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S
        )
        self._lock = threading.Lock()

    def save(self, search: SavedSearch) -> None:
        doc = json.dumps(search.to_document(), ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            self._conn.execute(
                "INSERT INTO saved_searches (id, created, doc) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                (search.id, search.created, doc),
            )

    def get(self, search_id: str) -> SavedSearch | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT doc FROM saved_searches WHERE id = ?", (search_id,)
            ).fetchone()
        return SavedSearch.from_document(json.loads(row[0])) if row else None

    def all(self) -> list[SavedSearch]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT doc FROM saved_searches ORDER BY created, id"
            ).fetchall()
        return [SavedSearch.from_document(json.loads(row[0])) for row in rows]

    def delete(self, search_id: str) -> bool:
        with self._lock:
            cursor = self._conn.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))
        return cursor.rowcount == 1

    def close(self) -> None:
        with self._lock:
            self._conn.close()
