"""Sitemap spider: sitemaps, sitemap indexes, Google News sitemaps, robots.txt Sitemap lines."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.base.urls import normalize_url, on_domains
from crawler.listings.listing import ListingError
from crawler.listings.sitemaps import parse_sitemap
from crawler.spiders.base import ArticleSpider

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from crawler.config import Source

logger = logging.getLogger(__name__)


class SitemapSpider(ArticleSpider):
    name = "sitemap"
    entry_points: ClassVar[tuple[str, ...]] = ("sitemaps",)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        async for request in super().start():
            yield request
        if "sitemaps" not in self.entry_points:
            return
        for source in self.sources.values():
            for request in self.robots_requests(source):
                yield request

    def robots_requests(self, source: Source) -> Iterator[scrapy.Request]:
        """robots.txt of each sitemap host: its Sitemap lines are entry points too."""
        roots = {f"{p.scheme}://{p.netloc}" for p in map(urlsplit, source.sitemaps)}
        for root in sorted(roots):
            yield scrapy.Request(
                f"{root}/robots.txt",
                callback=self.parse_robots,
                errback=self.on_error,
                meta=self._meta(source, "robots", dont_obey_robotstxt=True),
            )

    async def parse_robots(self, response: scrapy.http.Response) -> AsyncIterator[scrapy.Request]:
        source = self.sources[response.meta["source"]]
        found = sitemap_urls_from_robots(response.body)
        urls = [normalize_url(url, base=response.url) for url in found]
        urls = [url for url in urls if on_domains(url, self.domains[source.name])]
        if urls:
            logger.info("robots.txt at %s lists sitemaps %s", response.url, urls)
        for request in await self.listing_requests(urls, source, "sitemaps"):
            yield request

    async def parse_sitemap(self, response: scrapy.http.Response) -> AsyncIterator[scrapy.Request]:
        """Follow a sitemap's URLs or an index's sitemaps; use what parses of a cut one."""
        if self.not_modified(response):
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("crawl/pages/sitemap")
        try:
            sitemap = parse_sitemap(response.body)
        except ListingError as exc:
            stats.inc_value("crawl/errors/malformed_sitemap")
            logger.warning("malformed_sitemap: %s (%s)", response.url, exc)
            return
        if sitemap.salvage is not None:
            stats.inc_value("crawl/errors/truncated_sitemap")
            stats.inc_value("crawl/sitemaps/salvaged", sitemap.salvage.kept)
            logger.warning(
                "truncated_sitemap: %s (XML errors; %s)", response.url, sitemap.salvage.describe()
            )
        self.remember_validators(response)
        source = self.sources[response.meta["source"]]
        children = [normalize_url(entry.url, base=response.url) for entry in sitemap.sitemaps]
        children = [url for url in children if on_domains(url, self.domains[source.name])]
        for request in await self.listing_requests(children, source, "sitemaps"):
            yield request
        for request in await self.follow_entries(response, sitemap.entries):
            yield request
