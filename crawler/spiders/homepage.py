"""Homepage spider: feeds a homepage advertises, else its article links one level deep."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

import scrapy

from crawler.base.urls import normalize_url, on_domains
from crawler.listings.listing import ListedEntry
from crawler.spiders.feed import FeedSpider

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

logger = logging.getLogger(__name__)

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
# Paths that are sections, tags, authors, search or service pages, not stories.
NOT_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|topic|topics|category|categories|section|author|authors|search|page"
    r"|about|contact|privacy|terms|cookies|login|register|subscribe|account|video|videos"
    r"|feed|rss|sitemap)(?:/|$)|\.(?:jpe?g|png|gif|pdf|zip|mp[34]|css|js|xml)$",
    re.IGNORECASE,
)
MIN_LINK_TEXT = 20  # story links carry a headline; menus carry one or two words


class HomepageSpider(FeedSpider):
    name = "homepage"
    entry_points: ClassVar[tuple[str, ...]] = ("homepages",)

    async def parse_homepage(self, response: scrapy.http.Response) -> AsyncIterator[scrapy.Request]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("crawl/pages/homepage")
        if not isinstance(response, scrapy.http.TextResponse):
            stats.inc_value("crawl/dropped/binary")
            logger.warning("Dropped %s (binary): homepage is not text", response.url)
            return
        source = self.sources[response.meta["source"]]
        feeds = self.advertised_feeds(response)
        if feeds:
            logger.info("%s advertises feeds %s", response.url, feeds)
            for request in await self.listing_requests(feeds, source, "feeds"):
                yield request
            return
        links = self.article_links(response)
        logger.info("%s advertises no feed: following %d article links", response.url, len(links))
        entries = [ListedEntry(url=url) for url in links]
        for request in await self.follow_entries(response, entries):
            yield request

    def advertised_feeds(self, response: scrapy.http.TextResponse) -> list[str]:
        source = self.sources[response.meta["source"]]
        found = []
        for link in response.xpath('//link[contains(concat(" ", @rel, " "), " alternate ")]'):
            kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
            href = link.attrib.get("href")
            if kind in FEED_TYPES and href:
                url = normalize_url(href, base=response.url)
                if on_domains(url, self.domains[source.name]):
                    found.append(url)
        return list(dict.fromkeys(found))

    def article_links(self, response: scrapy.http.TextResponse) -> list[str]:
        """Same-site links with a headline-like text and a story-like path."""
        source = self.sources[response.meta["source"]]
        home = normalize_url(response.url)
        links = []
        for anchor in response.xpath("//body//a[@href]"):
            text = " ".join(" ".join(anchor.xpath(".//text()").getall()).split())
            if len(text) < MIN_LINK_TEXT:
                continue
            url = normalize_url(anchor.attrib["href"], base=response.url)
            path = urlsplit(url).path
            if (
                url == home
                or path.strip("/") == ""
                or NOT_ARTICLE_PATH.search(path)
                or not on_domains(url, self.domains[source.name])
            ):
                continue
            links.append(url)
        return list(dict.fromkeys(links))
