"""Held pages (crawler/index/held.py) in the embedded index: two small tables."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from crawler.index.held import HeldPage
from crawler.index.sqlite.store import dumps

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Sequence

    from crawler.index.sqlite.backend import SqliteBackend

# Pages sharing band keys with a page, most shared first; one key-index look-up per key.
_BY_KEYS = """
    SELECT p.doc FROM (
        SELECT k.page, count(*) AS shared
        FROM json_each(?) AS w CROSS JOIN held_keys AS k ON k.key = w.value
        GROUP BY k.page ORDER BY shared DESC, k.page LIMIT ?
    ) c JOIN held_pages p ON p.rowid = c.page
    ORDER BY c.shared DESC, p.rowid"""


def _keys(page: HeldPage) -> list[str]:
    keys = [f"u:{url}" for url in page.urls] + [f"h:{page.content_hash}"]
    return keys + [f"b:{band}" for band in dict.fromkeys(page.bands)]


class SqliteHeldPages:
    """`HeldPages` on the backend's connection: inside dedup_lock() its writes join the
    lock's transaction, so a held page and the decision that held it commit together."""

    def __init__(self, backend: SqliteBackend) -> None:
        self.backend = backend

    def hold(self, page: HeldPage) -> None:
        def write(conn: sqlite3.Connection) -> None:
            _delete(conn, "SELECT rowid FROM held_pages WHERE url = ?", (page.url,))
            rowid = conn.execute(
                "INSERT INTO held_pages (url, held_at, doc) VALUES (?, ?, ?)",
                (page.url, page.held_at, dumps(page.to_document())),
            ).lastrowid
            conn.executemany(
                "INSERT OR IGNORE INTO held_keys (key, page) VALUES (?, ?)",
                [(key, rowid) for key in _keys(page)],
            )

        self.backend._write(write)

    def find(
        self, urls: Sequence[str], content_hash: str, bands: Sequence[str], limit: int
    ) -> list[HeldPage]:
        exact = [f"u:{url}" for url in urls] + [f"h:{content_hash}"]
        keyed = [f"b:{band}" for band in sorted(set(bands))]

        def read(conn: sqlite3.Connection) -> list[str]:
            docs = [d for (d,) in conn.execute(_BY_KEYS, (json.dumps(exact), -1)).fetchall()]
            if keyed and limit > 0:
                docs += [d for (d,) in conn.execute(_BY_KEYS, (json.dumps(keyed), limit))]
            return docs

        pages: dict[str, HeldPage] = {}
        for doc in self.backend._read(read):
            page = HeldPage.from_document(json.loads(doc))
            pages.setdefault(page.url, page)
        return list(pages.values())

    def release(self, urls: Iterable[str]) -> None:
        wanted = json.dumps(list(dict.fromkeys(urls)))
        self.backend._write(
            lambda conn: _delete(
                conn, "SELECT rowid FROM held_pages WHERE url IN (SELECT value FROM json_each(?))",
                (wanted,),
            )
        )  # fmt: skip

    def prune(self, older_than: str, keep: int) -> int:
        removed: list[int] = []

        def write(conn: sqlite3.Connection) -> None:
            removed.append(
                _delete(conn, "SELECT rowid FROM held_pages WHERE held_at < ?", (older_than,))
            )
            removed.append(
                _delete(
                    conn,
                    "SELECT rowid FROM held_pages ORDER BY held_at DESC, rowid DESC "
                    "LIMIT -1 OFFSET ?",
                    (max(keep, 0),),
                )
            )

        self.backend._write(write)
        return sum(removed)

    def count(self) -> int:
        row = self.backend._read(lambda c: c.execute("SELECT count(*) FROM held_pages").fetchone())
        return int(row[0])


def _delete(conn: sqlite3.Connection, select_rowids: str, params: tuple[object, ...]) -> int:
    """Delete the held pages `select_rowids` selects, with their keys; returns how many."""
    rowids = [(rowid,) for (rowid,) in conn.execute(select_rowids, params).fetchall()]
    conn.executemany("DELETE FROM held_keys WHERE page = ?", rowids)
    conn.executemany("DELETE FROM held_pages WHERE rowid = ?", rowids)
    return len(rowids)
