"""The spider a crawl run uses: every entry point of every chosen source, one dupefilter."""

from __future__ import annotations

from typing import ClassVar

from crawler.spiders.homepage import HomepageSpider
from crawler.spiders.sitemap import SitemapSpider


class NewsSpider(SitemapSpider, HomepageSpider):
    """Feeds, sitemaps and homepages together, so a story listed by several is fetched once."""

    name = "news"
    entry_points: ClassVar[tuple[str, ...]] = ("feeds", "sitemaps", "homepages")
