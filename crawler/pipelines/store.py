"""De-duplicate and index each kept article, and remember every URL the crawl judged."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured

from crawler.crawl.seen import SeenState
from crawler.dedup import DedupInputError, Deduplicator
from crawler.index import make_backend

if TYPE_CHECKING:
    from typing import Any, Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.config import Config
    from crawler.index import IndexBackend
    from crawler.items import Article

logger = logging.getLogger(__name__)

# Deduplicator actions -> the stats keys the crawl summary reads.
ACTION_KEYS = {
    "new": "dedup/new",
    "copy": "dedup/copies_merged",
    "updated": "dedup/updated",
    "unchanged": "dedup/unchanged",
}


class StorePipeline:
    """Opens the configured index backend for the crawl, like Scrapy's MongoPipeline.

    The backend also holds the seen-URL state (`self.seen`), which the spider
    shares: an off-topic page is remembered as judged (no story id) when it is
    dropped, a kept one with its story id once it is stored.
    """

    def __init__(self, config: Config, stats: StatsCollector | None, seen_batch: int) -> None:
        self.config = config
        self.stats = stats
        self.seen_batch = seen_batch
        self.backend: IndexBackend | None = None
        self.dedup: Deduplicator | None = None
        self.seen: SeenState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("STORE_PIPELINE_ENABLED", True):
            raise NotConfigured("STORE_PIPELINE_ENABLED is off")
        config = settings.get("NEWSWATCH_CONFIG")
        if config is None:
            raise NotConfigured("no NEWSWATCH_CONFIG: no index to store into")
        pipeline = cls(config, crawler.stats, settings.getint("STORE_SEEN_BATCH", 100))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        self.backend = make_backend(self.config)
        self.backend.open()
        self.dedup = Deduplicator(self.backend)
        self.seen = SeenState(self.backend, batch=self.seen_batch)

    def close_spider(self) -> None:
        if self.backend is None:
            return
        try:
            if self.seen is not None:
                self.seen.flush()
            self.backend.flush()
            self._copy_stats()
        finally:
            self.backend.close()

    def process_item(self, item: Article) -> Article:
        assert self.dedup is not None and self.seen is not None
        try:
            outcome = self.dedup.add(item)
        except DedupInputError as exc:
            self._inc("crawl/dropped/no_text")
            raise DropItem(f"no text to de-duplicate: {exc}") from None
        self._inc(ACTION_KEYS.get(outcome.action, f"dedup/{outcome.action}"))
        self.seen.mark(item.url, story_id=outcome.story_id, listed_updated=item.listed_updated)
        return item

    def item_dropped(self, item: Any, response: Any, exception: Exception) -> None:
        if self.seen is None or not hasattr(item, "url"):
            return
        self.seen.mark(item.url, listed_updated=getattr(item, "listed_updated", None))

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def _copy_stats(self) -> None:
        # Backend and dedup counters (index/errors/429, dedup/match/near, ...)
        # end up next to the crawl's own, in one place for the summary.
        if self.stats is None:
            return
        sources = [getattr(self.backend, "stats", None)]
        if self.dedup is not None:
            sources.append({k: v for k, v in self.dedup.stats.items() if "/match/" in k})
        for counters in sources:
            if isinstance(counters, dict):
                for key, value in counters.items():
                    if isinstance(value, int | float):
                        self.stats.set_value(key, value)
