"""Learn each outlet's furniture from its pages; strip it before topics and dedup see the text.

The last step that changes an article's text, so it signs the text for dedup too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.crawl.extraction import ExtractionPool
from crawler.crawl.stores import open_side_backend
from crawler.furniture import MIN_PAGES, FurnitureLearner

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.config import Config
    from crawler.index import IndexBackend
    from crawler.items import Article

logger = logging.getLogger(__name__)


class FurniturePipeline:
    """Records every article page's lines for its outlet (host) in the index, then
    removes the lines that outlet has carried on FURNITURE_MIN_PAGES distinct pages.

    Runs before topic matching (300) and storing (800), so a "Follow us on ..."
    line or a teaser for another story never decides a topic or a dedup match.
    The learned state lives in the configured index (FurnitureStore), shared by
    concurrent crawls and kept across runs.
    """

    def __init__(
        self,
        config: Config,
        stats: StatsCollector | None,
        min_pages: int,
        extraction: ExtractionPool | None = None,
    ) -> None:
        self.config = config
        self.stats = stats
        self.min_pages = min_pages
        self.extraction = extraction  # None: dedup signs the text itself
        self.backend: IndexBackend | None = None
        self.learner: FurnitureLearner | None = None
        # Open the store at the first item, not at the start: most polls have none.
        self.lazy = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("FURNITURE_PIPELINE_ENABLED", True):
            raise NotConfigured("FURNITURE_PIPELINE_ENABLED is off")
        config = settings.get("NEWSWATCH_CONFIG")
        if config is None:
            raise NotConfigured("no NEWSWATCH_CONFIG: no index to learn furniture in")
        pipeline = cls(
            config,
            crawler.stats,
            settings.getint("FURNITURE_MIN_PAGES", MIN_PAGES),
            ExtractionPool.of(crawler),
        )
        pipeline.lazy = settings.getbool("NEWSWATCH_LAZY_STORES")
        return pipeline

    def open_spider(self) -> None:
        if not self.lazy:
            self._open()

    def _open(self) -> FurnitureLearner:
        self.backend = open_side_backend(self.config, "furniture")
        self.learner = FurnitureLearner(self.backend.furniture_store(), self.min_pages)
        return self.learner

    def close_spider(self) -> None:
        if self.backend is not None:
            self.backend.close()
            self.backend = None

    async def process_item(self, item: Article) -> Article:
        if self.learner is None:
            self._open()
        # The store is a database round trip; the reactor keeps fetching meanwhile.
        item = await maybe_deferred_to_future(deferToThread(self.clean, item))
        return await self.sign(item)

    async def sign(self, item: Article) -> Article:
        """Sign the text for dedup once, here, where it changes for the last time: in a
        worker process, not in the crawl process's one store thread."""
        if self.extraction is not None:
            item.signature = await self.extraction.sign(item.text, item.url)
        return item

    def clean(self, item: Article) -> Article:
        """Record the item's lines and strip its outlet's furniture (in a worker thread)."""
        assert self.learner is not None
        try:
            # Keyed by title: one story at several URLs is one page, so its own
            # sentences never reach the furniture threshold.
            text, removed = self.learner.learn(item.url, item.text, item.title)
        except Exception as exc:  # database or cluster: whichever fails, keep the page
            # Learning is an improvement, never a reason to lose a page.
            self._inc("furniture/errors")
            logger.error("%s: furniture not learned: %s", item.url, exc)
            return item
        self._inc("furniture/pages")
        if removed:
            self._inc("furniture/pages_cleaned")
            self._inc("furniture/lines_removed", removed)
            item.text = text
        return item

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)
