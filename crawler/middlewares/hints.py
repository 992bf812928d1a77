"""Record what each response says about polling again: Cache-Control, Expires, Retry-After."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from crawler.crawl import hints
from crawler.middlewares.content import KIND_META

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

#: The pages whose cache lifetime is the source's: its listings, not its articles.
LISTING_KINDS = frozenset({"feed", "sitemap", "homepage"})
THROTTLING = frozenset({429, 503})


class PollHintsMiddleware:
    """Stats `hints/*` from every response; the largest value of a poll wins.

    Settings: POLL_HINTS_ENABLED. It sits before the retry middleware, so a
    429 that is retried is seen too.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("POLL_HINTS_ENABLED", True):
            raise NotConfigured("POLL_HINTS_ENABLED is off")
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if response.status in THROTTLING:
            self.stats.inc_value(hints.THROTTLED)
            value = _header(response, b"Retry-After")
            delay = hints.retry_after(value) if value else None
            if delay is not None:
                self.stats.max_value(hints.RETRY_AFTER, delay)
        if request.meta.get(KIND_META) in LISTING_KINDS and response.status in (200, 304):
            self.stats.inc_value(hints.LISTINGS_ANSWERED)
            self._cache_lifetime(response)
        return response

    def _cache_lifetime(self, response: Response) -> None:
        max_age = hints.max_age(_header(response, b"Cache-Control"))
        if max_age is not None:
            self.stats.max_value(hints.MAX_AGE, max_age)
            return  # max-age overrides Expires (RFC 9111, 5.3)
        expires = _header(response, b"Expires")
        seconds = hints.expires_in(expires, _header(response, b"Date") or None) if expires else None
        if seconds is not None:
            self.stats.max_value(hints.EXPIRES, seconds)


def _header(response: Response, name: bytes) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""
