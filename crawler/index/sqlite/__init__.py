"""The embedded default index: one SQLite file (WAL, FTS5), no server.

Entry points for the registry in crawler/index/__init__.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.index.sqlite.backend import SqliteBackend

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index.search_index import SearchIndex

__all__ = ["SqliteBackend", "open_backend", "open_search_index", "open_side_backend"]


def open_backend(config: Config) -> SqliteBackend:
    return SqliteBackend(config.index.embedded.path)


def open_side_backend(config: Config, purpose: str) -> SqliteBackend:
    # A side store's writes need not wait for the disk (NORMAL, not FULL): a power
    # cut loses at most its last marks (pages fetched again, furniture counted
    # again), never a story, and each page costs one fsync less.
    return SqliteBackend(config.index.embedded.path, synchronous="NORMAL")


def open_search_index(config: Config) -> SearchIndex:
    # One connection and no writer thread: the backend itself is cheap to open for
    # reading. Its only writes are the schema migration on open and the planner's
    # `PRAGMA optimize` on close.
    return SqliteBackend(config.index.embedded.path)
