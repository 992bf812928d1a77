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
]


def make_backend(config: Config) -> IndexBackend:
    """The backend the config names, not yet opened."""
    if config.index.backend == "elasticsearch":
        from crawler.index.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(config.index.elasticsearch, state_dir=config.state_dir)
    from crawler.index.sqlite import SqliteBackend

    return SqliteBackend(config.index.embedded.path)
