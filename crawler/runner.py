"""Run one crawl pass in this process with Scrapy's CrawlerProcess and return its summary."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.crawler import CrawlerProcess

from crawler.crawl.settings import crawl_settings
from crawler.crawl.summary import CrawlSummary, summarize
from crawler.spiders.news import NewsSpider

if TYPE_CHECKING:
    from crawler.config import Config

logger = logging.getLogger(__name__)


class _CrawlerProcess(CrawlerProcess):
    """Remembers a shutdown signal: one that arrives while the spider is still
    opening stops the crawl before any stats are written, and the summary must
    still say "shutdown" rather than "unknown" (which means the crawl failed)."""

    shutdown_requested = False

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.shutdown_requested = True
        super()._signal_shutdown(signum, frame)


def run_crawl(
    config: Config, topics: list[str] | None = None, sources: list[str] | None = None
) -> CrawlSummary:
    """Crawl the chosen sources (all when None) once; blocks until the crawl ends.

    SIGINT/SIGTERM stop it gracefully (Scrapy's shutdown handlers): requests in
    flight finish, pipelines close, and the summary still comes back with
    finished_reason "shutdown". It starts and stops the reactor, which cannot be
    restarted, so call this once per process: `newswatch crawl` and the process
    per poll fallback do. The scheduler and workers run their polls in the
    long-running crawl engine instead (crawler/engine), one reactor for many crawls.
    """
    settings = crawl_settings(config, topics, sources)
    # The CLI already configured logging; Scrapy must not add a second handler.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = _CrawlerProcess(settings)
    # Scrapy sets its loggers to DEBUG and leaves the level to its own root
    # handler, which is not installed: without this every page and every item
    # (with its whole text) would be logged.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats is not None else {}
    if process.shutdown_requested and not stats.get("finish_reason"):
        stats["finish_reason"] = "shutdown"
    return summarize(stats, settings.getlist("NEWSWATCH_SOURCES"))
