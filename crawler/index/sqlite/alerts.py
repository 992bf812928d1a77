"""Alert state in the embedded index's SQLite file (tables from its migration 2)."""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import TYPE_CHECKING

from crawler.index.alert_state import AlertItem, now_iso
from crawler.story import Story

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path


BUSY_TIMEOUT_S = 30.0


class SqliteAlertState:
    """Its own connection to the index file: alerts never wait on a crawl's transaction
    longer than SQLite's busy timeout, and each statement commits on its own."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S
        )
        # WAL with NORMAL survives a killed process; only a power cut may lose the last
        # commits, and then an alert is sent again rather than lost.
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._lock = threading.Lock()

    def claim(self, item: AlertItem) -> bool:
        with self._lock:
            cursor = self._conn.execute(
                "INSERT OR IGNORE INTO alert_items (key, rule, status, created, doc) "
                "VALUES (?, ?, ?, ?, ?)",
                (item.key, item.rule, item.status, item.created, _dumps(item)),
            )
        return cursor.rowcount == 1

    def known(self, keys: Iterable[str]) -> set[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT key FROM alert_items WHERE key IN (SELECT value FROM json_each(?))",
                (json.dumps(list(keys)),),
            ).fetchall()
        return {row[0] for row in rows}

    def move(
        self,
        keys: Iterable[str],
        old: str,
        new: str,
        *,
        attempts: int | None = None,
        error: str | None = None,
    ) -> list[str]:
        moved = []
        with self._lock:
            for key in keys:
                # One statement: the WHERE on the old status is the conditional write.
                cursor = self._conn.execute(
                    """UPDATE alert_items SET status = ?, doc = json_set(doc,
                           '$.status', ?, '$.updated', ?,
                           '$.attempts', coalesce(?, json_extract(doc, '$.attempts')),
                           '$.error', ?)
                       WHERE key = ? AND status = ?""",
                    (new, new, now_iso(), attempts, error, key, old),
                )
                if cursor.rowcount == 1:
                    moved.append(key)
        return moved

    def retake(self, item: AlertItem) -> bool:
        with self._lock:
            cursor = self._conn.execute(
                """UPDATE alert_items SET doc = json_set(doc, '$.updated', ?)
                   WHERE key = ? AND status = 'sending' AND json_extract(doc, '$.updated') = ?""",
                (now_iso(), item.key, item.updated),
            )
        return cursor.rowcount == 1

    def items(
        self, *, rule: str | None = None, status: str | None = None, limit: int = 1000
    ) -> list[AlertItem]:
        where, params = [], []
        for column, value in (("rule", rule), ("status", status)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT doc FROM alert_items"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            rows = self._conn.execute(
                sql + " ORDER BY created, key LIMIT ?", (*params, limit)
            ).fetchall()
        return [AlertItem.from_doc(json.loads(row[0])) for row in rows]

    def counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT rule, status, count(*) FROM alert_items GROUP BY rule, status"
            ).fetchall()
        return {(rule, status): count for rule, status, count in rows}

    def get_cursor(self, name: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT value FROM alert_cursors WHERE name = ?", (name,)
            ).fetchone()
        return row[0] if row else None

    def set_cursor(self, name: str, value: str) -> None:
        with self._lock:
            self._conn.execute(
                """INSERT INTO alert_cursors (name, value) VALUES (?, ?)
                   ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)""",
                (name, value),
            )

    def recent_stories(self, since: str) -> Iterator[Story]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT doc FROM stories WHERE json_extract(doc, '$.last_seen') >= ? "
                "ORDER BY json_extract(doc, '$.last_seen')",
                (since,),
            ).fetchall()
        for row in rows:
            yield Story.from_document(json.loads(row[0]))

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _dumps(item: AlertItem) -> str:
    return json.dumps(item.to_doc(), ensure_ascii=False, separators=(",", ":"))
