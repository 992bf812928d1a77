"""Index backends: the embedded default (SQLite FTS5) and Elasticsearch.

The ports (one module each) are the contract; each backend is one subpackage
implementing them, named in BACKENDS by the config's `index.backend`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from crawler.index.backend import IndexBackend
from crawler.index.run_history import RunHistory
from crawler.index.search_index import (
    Aggregations,
    Bucket,
    NameKind,
    SearchHit,
    SearchIndex,
    SearchPage,
    SearchRequest,
)
from crawler.index.seen_store import SeenRecord, SeenStore
from crawler.index.story_store import StoryStore
from crawler.story import Story

if TYPE_CHECKING:
    from crawler.config import Config

__all__ = [
    "BACKENDS",
    "Aggregations",
    "Bucket",
    "IndexBackend",
    "NameKind",
    "RunHistory",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SearchRequest",
    "SeenRecord",
    "SeenStore",
    "Story",
    "StoryStore",
    "make_backend",
    "make_search_index",
    "make_side_backend",
]

# config `index.backend` -> the subpackage implementing it. Each exposes
# `open_backend(config)` and `open_side_backend(config, purpose)` (an IndexBackend)
# and `open_search_index(config)` (a SearchIndex), all returned not yet opened.
# Imported on use: a backend's client library loads only when that backend is configured.
BACKENDS = {
    "embedded": "crawler.index.sqlite",
    "elasticsearch": "crawler.index.elasticsearch",
}


def _package(config: Config) -> object:
    try:
        name = BACKENDS[config.index.backend]
    except KeyError:
        raise ValueError(
            f"index.backend: unknown backend {config.index.backend!r} "
            f"(expected one of {', '.join(BACKENDS)})"
        ) from None
    return importlib.import_module(name)


def make_backend(config: Config) -> IndexBackend:
    """The backend the config names, not yet opened."""
    backend: IndexBackend = _package(config).open_backend(config)  # type: ignore[attr-defined]
    return backend


def make_side_backend(config: Config, purpose: str) -> IndexBackend:
    """The backend for one side store of a crawl (seen URLs, furniture), not yet opened.

    Its own connection (embedded) never waits on the storing backend's lock for
    reads; on Elasticsearch its own state directory keeps it off that backend's spool.
    """
    backend: IndexBackend = _package(config).open_side_backend(config, purpose)  # type: ignore[attr-defined]
    return backend


def make_search_index(config: Config) -> SearchIndex:
    """A read-only search index on the backend the config names, not yet opened: no
    writer, no spool (the API and the web app open one per worker thread)."""
    index: SearchIndex = _package(config).open_search_index(config)  # type: ignore[attr-defined]
    return index
