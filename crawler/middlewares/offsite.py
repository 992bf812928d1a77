"""Refuse redirects that leave the source's allowed domains, and redirect loops."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.exceptions import NotConfigured

from crawler.base.urls import normalize_url, on_domains
from crawler.crawl.dropped import drop

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Requests carry the domains their source may visit; see crawler.spiders.base.
DOMAINS_META = "allowed_domains"


class OffsiteRedirectMiddleware:
    """Sits before RedirectMiddleware (higher order number): sees every 3xx first.

    A Location on a host outside `request.meta["allowed_domains"]` ends the
    request as `crawl/dropped/offsite_redirect`; a Location already visited in
    this redirect chain ends it as `crawl/errors/redirect_loop` at once instead
    of after REDIRECT_MAX_TIMES round trips.
    """

    def __init__(self, stats: StatsCollector | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("OFFSITE_REDIRECT_ENABLED", True):
            raise NotConfigured("OFFSITE_REDIRECT_ENABLED is off")
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        location_header = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location_header:
            return response
        location = location_header.decode("latin-1")
        target = urljoin(request.url, location)
        domains = request.meta.get(DOMAINS_META)
        if domains and not on_domains(target, set(domains)):
            raise drop(
                self.stats,
                request,
                "crawl/dropped/offsite_redirect",
                "offsite_redirect",
                f"redirected off-site to {target}",
            )
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if normalize_url(target) in {normalize_url(url) for url in chain}:
            raise drop(
                self.stats,
                request,
                "crawl/errors/redirect_loop",
                "redirect_loop",
                f"redirect loop back to {target}",
            )
        return response
