"""Feed spider: RSS 2.0, Atom and RDF feeds list the stories to fetch."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from crawler.crawl import hints
from crawler.listings.feeds import read_feed
from crawler.listings.listing import ListingError
from crawler.spiders.base import ArticleSpider

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import scrapy

    from crawler.listings.feeds import FeedHints

logger = logging.getLogger(__name__)


class FeedSpider(ArticleSpider):
    name = "feed"
    entry_points: ClassVar[tuple[str, ...]] = ("feeds",)

    async def parse_feed(self, response: scrapy.http.Response) -> AsyncIterator[scrapy.Request]:
        """Follow a feed's entries; a broken feed is logged and counted, never fatal."""
        if self.not_modified(response):
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("crawl/pages/feed")
        try:
            feed = read_feed(response.body)
        except ListingError as exc:
            stats.inc_value("crawl/errors/malformed_feed")
            logger.warning("malformed_feed: %s (%s)", response.url, exc)
            return
        entries, salvage = feed.entries, feed.salvage
        self.record_hints(feed.hints)
        if salvage is not None:
            stats.inc_value("crawl/errors/malformed_feed")
            stats.inc_value("crawl/feeds/salvaged", salvage.kept)
            logger.warning("malformed_feed: %s (XML errors; %s)", response.url, salvage.describe())
        self.remember_validators(response)
        for request in await self.follow_entries(response, entries):
            yield request

    def record_hints(self, feed_hints: FeedHints) -> None:
        """The feed's own <ttl> and sy:updatePeriod as stats `hints/*` (largest wins)."""
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(hints.FEEDS_READ)
        ttl = hints.ttl_seconds(feed_hints.ttl)
        if ttl is not None:
            stats.max_value(hints.TTL, ttl)
        period = hints.update_period_seconds(feed_hints.update_period, feed_hints.update_frequency)
        if period is not None:
            stats.max_value(hints.UPDATE_PERIOD, period)
