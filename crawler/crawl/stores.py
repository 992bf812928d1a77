"""The configured index opened for one side store of a crawl (seen URLs, furniture)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.index import make_side_backend

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index import IndexBackend


def open_side_backend(config: Config, purpose: str) -> IndexBackend:
    """The configured index, opened for `purpose` only, beside the storing backend."""
    backend = make_side_backend(config, purpose)
    backend.open()
    return backend
