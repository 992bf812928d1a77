"""The port incremental crawling uses: what the crawler remembers of each URL between runs."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class SeenRecord:
    """What the crawler remembers of a URL between runs (incremental crawling)."""

    url: str
    fetched_at: str  # ISO-8601 UTC
    story_id: str | None = None  # None: fetched but not kept (off-topic, not an article)
    listed_updated: str | None = None  # the feed/sitemap date it was fetched for
    etag: str | None = None  # for feeds and sitemaps: conditional GET validators
    last_modified: str | None = None


class SeenStore(abc.ABC):
    """Seen URLs, read and written in batches."""

    @abc.abstractmethod
    def get_seen(self, urls: Iterable[str]) -> dict[str, SeenRecord]: ...

    @abc.abstractmethod
    def mark_seen(self, records: Iterable[SeenRecord]) -> None: ...
