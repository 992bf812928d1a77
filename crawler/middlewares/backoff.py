"""Retry 429/5xx/timeouts like Scrapy's RetryMiddleware, waiting longer before each retry."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

DELAY_META = "backoff_delay"


class BackoffRetryMiddleware(RetryMiddleware):
    """Exponential backoff with jitter; a server's Retry-After wins when it is longer.

    Settings: RETRY_BACKOFF_ENABLED, RETRY_BACKOFF_BASE (seconds before the first
    retry), RETRY_BACKOFF_MAX (cap). The wait happens in process_request of the
    retried request, so it holds no download slot while it waits.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        if not settings.getbool("RETRY_BACKOFF_ENABLED", True):
            raise NotConfigured("RETRY_BACKOFF_ENABLED is off")
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    def backoff_delay(self, retry_times: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry_times` (1-based)."""
        delay = min(self.cap, self.base * 2 ** (retry_times - 1))
        delay = delay * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
        if retry_after is not None:
            delay = max(delay, min(self.cap, retry_after))
        return delay

    # `spider` stays optional (never passed by Scrapy 2.13+) to match the parent.
    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        retry_after = _retry_after(response)
        if retry_after is not None and retry_after > self.cap:
            # The server asks for a pause longer than a crawl waits: the scheduler
            # honours it (the poll's hints); asking again now would be rude.
            self.crawler.stats.inc_value("crawl/retry_after_deferred")
            return response
        result = super().process_response(request, response)
        if result is not response:
            self._schedule(result, retry_after)
        return result

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if result is not None and result is not request:
            self._schedule(result, None)
        return result

    def _schedule(self, retry: Request | Response, retry_after: float | None) -> None:
        from scrapy import Request

        if isinstance(retry, Request):
            retry.meta[DELAY_META] = self.backoff_delay(retry.meta["retry_times"], retry_after)

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop(DELAY_META, 0.0)
        if delay > 0:
            self.crawler.stats.inc_value("crawl/retry_backoff_waits")
            await asyncio.sleep(delay)


def _retry_after(response: Response) -> float | None:
    value = response.headers.get(b"Retry-After")
    if not value or response.status not in (429, 503):
        return None
    try:
        return max(0.0, float(value.decode("latin-1").strip()))
    except ValueError:
        return None  # an HTTP date: rare for 429/503, the exponential delay will do
