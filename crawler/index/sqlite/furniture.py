"""The embedded index's FurnitureStore: tables in the same SQLite file (migrations 4 and 7)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from crawler.furniture.store import (
    MAX_LINES_PER_OUTLET,
    MAX_PAGES_PER_OUTLET,
    MAX_SHAPES_PER_OUTLET,
    LearnedShape,
)

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Collection, Mapping
    from typing import Any


class SqliteFurnitureStore:
    """Runs on the backend's connection, under its lock and in its transactions.

    Each page is one write transaction, so concurrent crawls (processes) count a
    page once and never lose each other's counts.
    """

    def __init__(
        self,
        read: Callable[[Callable[[sqlite3.Connection], Any]], Any],
        write: Callable[[Callable[[sqlite3.Connection], object]], None],
        max_lines: int = MAX_LINES_PER_OUTLET,
        max_pages: int = MAX_PAGES_PER_OUTLET,
    ) -> None:
        self._read = read
        self._write = write
        self.max_lines = max_lines
        self.max_pages = max_pages

    def record_page(self, outlet: str, page: str, line_keys: Collection[str]) -> bool:
        recorded: list[bool] = []
        keys = json.dumps(sorted(set(line_keys)))
        now = time.time_ns()

        def write(conn: sqlite3.Connection) -> None:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO furniture_pages (outlet, page, seen) VALUES (?, ?, ?)",
                (outlet, page, now),
            )
            recorded.append(cursor.rowcount == 1)
            if cursor.rowcount != 1:
                return
            conn.execute(
                "INSERT INTO furniture_lines (outlet, line, pages, seen) "
                "SELECT ?, value, 1, ? FROM json_each(?) WHERE true "
                "ON CONFLICT (outlet, line) DO UPDATE SET pages = pages + 1, seen = excluded.seen",
                (outlet, now, keys),
            )
            _evict(conn, "furniture_pages", "page", "seen", outlet, self.max_pages)
            _evict(conn, "furniture_lines", "line", "pages, seen", outlet, self.max_lines)

        self._write(write)
        return recorded[0]

    def furniture(self, outlet: str, line_keys: Collection[str], min_pages: int) -> set[str]:
        keys = json.dumps(sorted(set(line_keys)))

        def read(conn: sqlite3.Connection) -> set[str]:
            rows = conn.execute(
                "SELECT line FROM furniture_lines WHERE outlet = ? AND pages >= ? "
                "AND line IN (SELECT value FROM json_each(?))",
                (outlet, min_pages, keys),
            ).fetchall()
            return {row[0] for row in rows}

        found: set[str] = self._read(read)
        return found

    def record_shapes(self, outlet: str, shapes: Mapping[str, tuple[str, str]]) -> None:
        rows = json.dumps([[shape, variant, text] for shape, (variant, text) in shapes.items()])
        now = time.time_ns()

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO furniture_shapes (shape, outlet, variant, text, seen) "
                "SELECT value ->> 0, ?, value ->> 1, value ->> 2, ? FROM json_each(?) WHERE true "
                "ON CONFLICT (shape, outlet, variant) DO UPDATE SET seen = excluded.seen",
                (outlet, now, rows),
            )
            (count,) = conn.execute(
                "SELECT count(*) FROM furniture_shapes WHERE outlet = ?", (outlet,)
            ).fetchone()
            if count > MAX_SHAPES_PER_OUTLET:
                conn.execute(
                    "DELETE FROM furniture_shapes WHERE (shape, outlet, variant) IN ("
                    "SELECT shape, outlet, variant FROM furniture_shapes "
                    "WHERE outlet = ? ORDER BY seen LIMIT ?)",
                    (outlet, count - MAX_SHAPES_PER_OUTLET),
                )

        self._write(write)

    def shared_shapes(
        self, shapes: Collection[str], min_outlets: int, min_variants: int
    ) -> set[str]:
        if not shapes:
            return set()
        wanted = json.dumps(sorted(set(shapes)))

        def read(conn: sqlite3.Connection) -> set[str]:
            rows = conn.execute(
                "SELECT shape FROM furniture_shapes "
                "WHERE shape IN (SELECT value FROM json_each(?)) GROUP BY shape "
                "HAVING count(DISTINCT outlet) >= ? AND count(DISTINCT variant) >= ?",
                (wanted, min_outlets, min_variants),
            ).fetchall()
            return {row[0] for row in rows}

        found: set[str] = self._read(read)
        return found

    def learned_shapes(self, min_outlets: int, min_variants: int) -> list[LearnedShape]:
        def read(conn: sqlite3.Connection) -> list[LearnedShape]:
            rows = conn.execute(
                "SELECT shape, min(text), count(DISTINCT outlet) AS outlets, "
                "count(DISTINCT variant) AS variants FROM furniture_shapes GROUP BY shape "
                "HAVING outlets >= ? AND variants >= ? ORDER BY outlets DESC, variants DESC, 2",
                (min_outlets, min_variants),
            ).fetchall()
            return [LearnedShape(*row) for row in rows]

        found: list[LearnedShape] = self._read(read)
        return found


def _evict(
    conn: sqlite3.Connection, table: str, key: str, rank: str, outlet: str, cap: int
) -> None:
    """Keep the `cap` highest-ranked rows of the outlet (fewest pages, then oldest, go)."""
    (count,) = conn.execute(f"SELECT count(*) FROM {table} WHERE outlet = ?", (outlet,)).fetchone()
    if count <= cap:
        return
    conn.execute(
        f"DELETE FROM {table} WHERE outlet = ? AND {key} IN ("
        f"SELECT {key} FROM {table} WHERE outlet = ? ORDER BY {rank} LIMIT ?)",
        (outlet, outlet, count - cap),
    )
