"""Log one progress line every few seconds: pages fetched, stories kept, drops by reason."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.crawl.summary import progress_line

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class ProgressLog:
    """Like Scrapy's LogStats, but in the crawl's own terms (settings PROGRESS_LOG_*)."""

    def __init__(self, stats: StatsCollector, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        interval = settings.getfloat("PROGRESS_LOG_INTERVAL", 10.0)
        if not settings.getbool("PROGRESS_LOG_ENABLED", True) or interval <= 0:
            raise NotConfigured("PROGRESS_LOG_ENABLED is off")
        assert crawler.stats is not None
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.task = task.LoopingCall(self.log)
        self.task.start(self.interval, now=False)

    def log(self) -> None:
        logger.info("Progress: %s", progress_line(self.stats.get_stats()))

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
