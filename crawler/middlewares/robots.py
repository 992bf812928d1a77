"""robots.txt as Scrapy reads it, kept across the crawl engine's polls for ROBOTS_CACHE_TTL.

Scrapy's RobotsTxtMiddleware fetches each host's robots.txt once per crawl. In
the crawl engine every poll is a crawl, so an outlet polled every five minutes
would have its robots.txt fetched every five minutes too: twice the requests
and half the engine's work for a feed that answers 304. The engine hands every
poll one `RobotsCache` (setting NEWSWATCH_ROBOTS_CACHE); a parsed robots.txt is
reused until it is ROBOTS_CACHE_TTL seconds old. A failed fetch is not kept.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser


class RobotsCache:
    """Parsed robots.txt files by host, each kept for `ttl` seconds."""

    def __init__(self, ttl: float = 3600.0, size: int = 100_000) -> None:
        self.ttl = ttl
        self.size = size
        self._parsers: dict[str, tuple[float, RobotParser]] = {}

    def get(self, netloc: str) -> RobotParser | None:
        entry = self._parsers.get(netloc)
        if entry is None or time.monotonic() - entry[0] > self.ttl:
            return None
        return entry[1]

    def put(self, netloc: str, parser: RobotParser) -> None:
        if len(self._parsers) >= self.size:
            now = time.monotonic()
            self._parsers = {k: v for k, v in self._parsers.items() if now - v[0] <= self.ttl}
        self._parsers[netloc] = (time.monotonic(), parser)


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, reading and filling the engine's RobotsCache if given."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        cache = crawler.settings.get("NEWSWATCH_ROBOTS_CACHE")
        self.cache = cache if isinstance(cache, RobotsCache) else None

    async def robot_parser(self, request: Request) -> RobotParser | None:
        if self.cache is None:
            return await super().robot_parser(request)
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            cached = self.cache.get(netloc)
            if cached is not None:
                self._parsers[netloc] = cached
                self._stats.inc_value("robotstxt/cached")
                return cached
            parser = await super().robot_parser(request)
            if parser is not None:
                self.cache.put(netloc, parser)
            return parser
        return await super().robot_parser(request)
