"""The one contract both index backends (Elasticsearch, embedded SQLite) implement.

Stories are `crawler.story.Story`; each backend stores them as the documents
`Story.to_document()` makes and reads them back with `Story.from_document()`.
`index_mappings/` holds the Elasticsearch mapping for exactly those keys.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from crawler.story import Story

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from crawler.furniture.store import FurnitureStore


@dataclass(frozen=True)
class SeenRecord:
    """What the crawler remembers of a URL between runs (incremental crawling)."""

    url: str
    fetched_at: str  # ISO-8601 UTC
    story_id: str | None = None  # None: fetched but not kept (off-topic, not an article)
    listed_updated: str | None = None  # the feed/sitemap date it was fetched for
    etag: str | None = None  # for feeds and sitemaps: conditional GET validators
    last_modified: str | None = None


@dataclass(frozen=True)
class SearchRequest:
    """A search over stories; `query` is in the one query language (crawler.query)."""

    query: str = ""
    topics: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    min_outlets: int = 1
    sort: Literal["relevance", "date"] = "relevance"
    limit: int = 20
    cursor: str | None = None  # opaque; from SearchPage.next_cursor
    highlight: bool = True


@dataclass
class SearchHit:
    story: Story
    score: float | None = None
    snippet: str = ""  # the match marked with « and »


@dataclass
class SearchPage:
    hits: list[SearchHit]
    total: int
    next_cursor: str | None = None


@dataclass
class Bucket:
    key: str
    count: int


@dataclass
class Aggregations:
    timeline: list[Bucket] = field(default_factory=list)  # key: YYYY-MM-DD, by published
    outlets: list[Bucket] = field(default_factory=list)
    topics: list[Bucket] = field(default_factory=list)


class IndexBackend(abc.ABC):
    """Stories, dedup state, seen URLs and run history in one store."""

    name: str
    # Whether a put is durable before dedup_lock() is released, so a writer may
    # hold the lock around several decisions and acknowledge each one at once.
    # False where puts inside the lock commit only at its release (SQLite).
    durable_inside_lock: bool = False

    # lifecycle -----------------------------------------------------------
    @abc.abstractmethod
    def open(self) -> None:
        """Connect and make sure the schema exists (idempotent)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Flush pending writes and release connections."""

    def __enter__(self) -> IndexBackend:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # stories -------------------------------------------------------------
    @abc.abstractmethod
    def get_story(self, story_id: str) -> Story | None: ...

    @abc.abstractmethod
    def find_by_url(self, url: str) -> Story | None:
        """The story one of whose copies has this (normalised) URL."""

    @abc.abstractmethod
    def find_by_content_hash(self, content_hash: str) -> Story | None: ...

    @abc.abstractmethod
    def find_candidates(self, band_keys: Iterable[str], limit: int = 20) -> list[Story]:
        """Stories sharing at least one LSH band key, most shared bands first."""

    @abc.abstractmethod
    def put_story(self, story: Story) -> None:
        """Create or replace the story with `story.id`.

        Durable when this returns: a crash afterwards never loses it (the
        Elasticsearch backend spools to disk what it could not write yet).
        """

    @abc.abstractmethod
    def delete_story(self, story_id: str) -> None: ...

    @abc.abstractmethod
    def flush(self) -> None:
        """Make every put so far visible to searches and candidate look-ups."""

    @abc.abstractmethod
    def dedup_lock(self) -> AbstractContextManager[None]:
        """Serialise dedup decisions across processes (two concurrent crawls)."""

    @abc.abstractmethod
    def count(self) -> int: ...

    # seen URLs -----------------------------------------------------------
    @abc.abstractmethod
    def get_seen(self, urls: Iterable[str]) -> dict[str, SeenRecord]: ...

    @abc.abstractmethod
    def mark_seen(self, records: Iterable[SeenRecord]) -> None: ...

    # search --------------------------------------------------------------
    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchPage: ...

    @abc.abstractmethod
    def aggregate(self, request: SearchRequest, size: int = 10) -> Aggregations: ...

    @abc.abstractmethod
    def export(self, request: SearchRequest) -> Iterator[Story]:
        """Every matching story, streamed in constant memory, newest first."""

    # run history ---------------------------------------------------------
    @abc.abstractmethod
    def record_run(self, run: dict[str, Any]) -> None:
        """Store one scheduler run: {id, source, started, ended, outcome, stats{}}."""

    @abc.abstractmethod
    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first."""

    # learned page furniture ------------------------------------------------
    @abc.abstractmethod
    def furniture_store(self) -> FurnitureStore:
        """Where this index keeps the learned page furniture (crawler/furniture/store.py)."""
