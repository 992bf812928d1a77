"""The configured index opened for one side store of a crawl (seen URLs, furniture)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index import IndexBackend


def open_side_backend(config: Config, purpose: str) -> IndexBackend:
    """The configured index, opened for `purpose` only, beside the storing backend.

    Its own connection (embedded) never waits on the store's lock for reads; on
    Elasticsearch its own state directory keeps it off the storing backend's spool.
    """
    if config.index.backend == "elasticsearch":
        from crawler.index.elasticsearch import ElasticsearchBackend

        backend: IndexBackend = ElasticsearchBackend(
            config.index.elasticsearch, state_dir=config.state_dir / purpose
        )
    else:
        from crawler.index.sqlite import SqliteBackend

        # A side store's writes need not wait for the disk (NORMAL, not FULL): a
        # power cut loses at most its last marks (pages fetched again, furniture
        # counted again), never a story, and each page costs one fsync less.
        backend = SqliteBackend(config.index.embedded.path, synchronous="NORMAL")
    backend.open()
    return backend
