"""End every download by the crawl's time limit: a hanging server cannot hold a poll open.

CLOSESPIDER_TIMEOUT closes the spider at the time limit, but Scrapy waits for the
downloads in flight, each up to DOWNLOAD_TIMEOUT. In the crawl engine many polls
share one process, so nothing may outlive its poll: each request's timeout is cut
to the time left (plus DEADLINE_MARGIN), robots.txt and retries included.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

#: Shortest timeout a request gets, so that one sent right at the limit fails fast.
FLOOR = 0.5


class DeadlineMiddleware:
    """Caps `download_timeout` in each request's meta at the time the crawl has left."""

    def __init__(self, limit: float, margin: float, default_timeout: float) -> None:
        self.limit = limit
        self.margin = margin
        self.default_timeout = default_timeout
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("DEADLINE_ENABLED", True):
            raise NotConfigured("DEADLINE_ENABLED is off")
        limit = settings.getfloat("CLOSESPIDER_TIMEOUT")
        if limit <= 0:
            raise NotConfigured("no CLOSESPIDER_TIMEOUT: no deadline")
        middleware = cls(
            limit, settings.getfloat("DEADLINE_MARGIN", 1.0), settings.getfloat("DOWNLOAD_TIMEOUT")
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self) -> None:
        self.started = time.monotonic()

    def process_request(self, request: Request) -> None:
        left = self.started + self.limit + self.margin - time.monotonic()
        current = request.meta.get("download_timeout", self.default_timeout)
        request.meta["download_timeout"] = max(FLOOR, min(current, left))
