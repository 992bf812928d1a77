"""A whole index backend: every port of crawler/index/ kept in one store.

Only what opens a backend (make_backend, crawler/index/__init__.py) needs this type;
a consumer is typed against the narrow port it uses: StoryStore
(crawler/index/story_store.py), SeenStore (seen_store.py), SearchIndex
(search_index.py), RunHistory (run_history.py), HeldPages (held.py) and
FurnitureStore (crawler/furniture/store.py).

Stories are `crawler.story.Story`; each backend stores them as the documents
`Story.to_document()` makes and reads them back with `Story.from_document()`.
`index_mappings/` holds the Elasticsearch mapping for exactly those keys.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

from crawler.index.run_history import RunHistory
from crawler.index.search_index import SearchIndex
from crawler.index.seen_store import SeenStore
from crawler.index.story_store import StoryStore

if TYPE_CHECKING:
    from crawler.furniture.store import FurnitureStore
    from crawler.index.held import HeldPages


class IndexBackend(StoryStore, SeenStore, SearchIndex, RunHistory):
    """Stories, dedup state, seen URLs, run history, held pages and furniture in one store."""

    def __enter__(self) -> IndexBackend:
        self.open()
        return self

    @abc.abstractmethod
    def furniture_store(self) -> FurnitureStore:
        """Where this index keeps the learned page furniture (crawler/furniture/store.py)."""

    @abc.abstractmethod
    def held_pages(self) -> HeldPages:
        """Where this index keeps held pages (crawler/index/held.py)."""
