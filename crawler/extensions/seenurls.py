"""The crawl's seen-URL state, shared by the spider and the store pipeline."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.crawl.seen import SeenUrls
from crawler.crawl.stores import open_side_backend

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.config import Config


class SeenUrlsExtension:
    """Owns the crawl's `SeenUrls`: opens its store when the spider opens, writes
    and closes it when the spider closes (after the pipelines, whose marks it keeps).

    The store is the configured index when the crawl stores into it
    (NEWSWATCH_CONFIG set, STORE_PIPELINE_ENABLED); otherwise seen URLs last one run.
    """

    def __init__(self, seen: SeenUrls, config: Config | None) -> None:
        self.seen = seen
        self.config = config

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("SEEN_URLS_ENABLED", True):
            raise NotConfigured("SEEN_URLS_ENABLED is off")
        config = settings.get("NEWSWATCH_CONFIG")
        if not settings.getbool("STORE_PIPELINE_ENABLED", True):
            config = None
        extension = cls(SeenUrls(batch=settings.getint("SEEN_URLS_BATCH", 100)), config)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @classmethod
    def of(cls, crawler: Crawler | None) -> SeenUrls | None:
        """The crawl's shared seen state, if this extension is on."""
        if crawler is None:
            return None
        try:
            extension = crawler.get_extension(cls)
        except RuntimeError:  # no extension manager: a component built by hand
            return None
        return extension.seen if extension is not None else None

    # Coroutines: Scrapy 2.19 deprecates signal handlers that return a Deferred.
    async def spider_opened(self) -> None:
        config = self.config
        if config is not None:
            await asyncio.wrap_future(self.seen.open(lambda: open_side_backend(config, "seen")))

    async def spider_closed(self) -> None:
        done = self.seen.close()
        if done is not None:
            await asyncio.wrap_future(done)
