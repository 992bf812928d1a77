"""Index backends: the embedded default (SQLite FTS5) and Elasticsearch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.index.backend import (
    Aggregations,
    Bucket,
    IndexBackend,
    SearchHit,
    SearchPage,
    SearchRequest,
    SeenRecord,
    Story,
)

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index.held import HeldPages

__all__ = [
    "Aggregations",
    "Bucket",
    "IndexBackend",
    "SearchHit",
    "SearchPage",
    "SearchRequest",
    "SeenRecord",
    "Story",
    "make_backend",
    "make_held_pages",
]


def make_backend(config: Config) -> IndexBackend:
    """The backend the config names, not yet opened."""
    if config.index.backend == "elasticsearch":
        from crawler.index.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(config.index.elasticsearch, state_dir=config.state_dir)
    from crawler.index.sqlite import SqliteBackend

    return SqliteBackend(config.index.embedded.path)


def make_held_pages(backend: IndexBackend) -> HeldPages:
    """The held-page store (crawler/index/held.py) kept in `backend`."""
    from crawler.index.elasticsearch import ElasticsearchBackend
    from crawler.index.sqlite import SqliteBackend

    if isinstance(backend, ElasticsearchBackend):
        from crawler.index.es_held import ElasticsearchHeldPages

        return ElasticsearchHeldPages(backend)
    if isinstance(backend, SqliteBackend):
        from crawler.index.sqlite_held import SqliteHeldPages

        return SqliteHeldPages(backend)
    raise TypeError(f"no held-page store for the {backend.name} index backend")
