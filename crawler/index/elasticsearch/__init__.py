"""The Elasticsearch index: a client, a write spool and bulk writer, a lease for the dedup lock.

Entry points for the registry in crawler/index/__init__.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.index.elasticsearch.backend import ElasticsearchBackend
from crawler.index.elasticsearch.reader import ElasticsearchSearchIndex

if TYPE_CHECKING:
    from crawler.config import Config

__all__ = [
    "ElasticsearchBackend",
    "ElasticsearchSearchIndex",
    "open_backend",
    "open_search_index",
    "open_side_backend",
]


def open_backend(config: Config) -> ElasticsearchBackend:
    return ElasticsearchBackend(config.index.elasticsearch, state_dir=config.state_dir)


def open_side_backend(config: Config, purpose: str) -> ElasticsearchBackend:
    # Its own state directory: the side store's spool never mixes with the stories'.
    return ElasticsearchBackend(config.index.elasticsearch, state_dir=config.state_dir / purpose)


def open_search_index(config: Config) -> ElasticsearchSearchIndex:
    return ElasticsearchSearchIndex(config.index.elasticsearch)
