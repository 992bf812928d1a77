"""The article handling every newswatch spider shares: requests, extraction, errors, seen state."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.http import TextResponse

from crawler.analysis.detect import detect_language, hint_codes
from crawler.base.page import page_fields
from crawler.base.urls import normalize_url, on_domains
from crawler.crawl.extraction import ExtractionPool, default_processes
from crawler.crawl.failures import failure_key
from crawler.crawl.seen import SeenUrls
from crawler.crawl.sources import source_domains
from crawler.extensions.seenurls import SeenUrlsExtension
from crawler.extract import NotAnArticle
from crawler.items import Article
from crawler.middlewares.content import KIND_META
from crawler.middlewares.offsite import DOMAINS_META

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

    from crawler.config import Config, Source
    from crawler.listings.listing import ListedEntry

logger = logging.getLogger(__name__)

# Failures worth another try on the next run.
TRANSIENT = frozenset(
    {
        "crawl/errors/timeout",
        "crawl/errors/connection",
        "crawl/errors/dns",
        "crawl/errors/download_failed",
        "crawl/errors/http_429",
        "crawl/errors/http_500",
        "crawl/errors/http_502",
        "crawl/errors/http_503",
        "crawl/errors/http_504",
    }
)
CALLBACKS = {"feeds": "parse_feed", "sitemaps": "parse_sitemap", "homepages": "parse_homepage"}
KINDS = {"feeds": "feed", "sitemaps": "sitemap", "homepages": "homepage"}


class ArticleSpider(scrapy.Spider):
    """Crawls the configured sources' entry points of the kinds in `entry_points`.

    Subclasses add the parse_<kind> callbacks. Every request carries its
    source name, its page kind and the source's allowed domains in meta, and
    `on_error` as errback, so every failure is logged with its URL and counted.
    """

    entry_points: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        config: Config,
        sources: list[str] | None = None,
        min_text_chars: int = 400,
        extraction_processes: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.config = config
        names = set(sources or [])
        self.sources = {s.name: s for s in config.sources if not names or s.name in names}
        self.domains = {name: source_domains(s) for name, s in self.sources.items()}
        # Scrapy's own offsite filter gets the union; per-source checks are ours.
        self.allowed_domains = sorted(set().union(*self.domains.values()))
        self.min_text_chars = min_text_chars
        self.extraction = ExtractionPool(extraction_processes, min_text_chars)
        self.seen = SeenUrls()  # in memory until start() finds the crawl's shared state

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticleSpider:
        config = kwargs.pop("config", None) or crawler.settings.get("NEWSWATCH_CONFIG")
        if config is None or isinstance(config, str):
            config = cls._config_for_scrapy_crawl(crawler, config)
        settings = crawler.settings
        kwargs.setdefault("sources", settings.getlist("NEWSWATCH_SOURCES"))
        # NEWSWATCH_MIN_TEXT_CHARS: the setting's name before it counted by script.
        old = settings.getint("NEWSWATCH_MIN_TEXT_CHARS", 400)
        kwargs.setdefault("min_text_chars", settings.getint("NEWSWATCH_MIN_TEXT_LENGTH", old))
        processes = settings.getint("NEWSWATCH_EXTRACTION_PROCESSES", -1)
        if processes < 0:
            processes = default_processes()
        kwargs.setdefault("extraction_processes", processes)
        spider = super().from_crawler(crawler, config, *args, **kwargs)
        assert isinstance(spider, ArticleSpider)
        # The crawl's one pool (the crawl engine's warm one where it runs the crawl):
        # the furniture pipeline signs the text in it.
        spider.extraction = ExtractionPool.of(
            crawler, kwargs["extraction_processes"], spider.min_text_chars
        )
        return spider

    @staticmethod
    def _config_for_scrapy_crawl(crawler: Crawler, path: str | None) -> Config:
        """`scrapy crawl news [-a config=FILE]`: the edge where that command reads the config.

        The crawler's settings are not frozen yet when the spider is made, so
        the config's settings (and the pipelines' NEWSWATCH_CONFIG) still apply;
        `-s NAME=VALUE` on the command line keeps precedence.
        """
        from crawler.config import load_config
        from crawler.crawl.settings import crawl_settings

        config = load_config(path)
        if not crawler.settings.frozen:
            crawler.settings.update(crawl_settings(config), priority="spider")
        return config

    # -- entry points ----------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.seen = SeenUrlsExtension.of(getattr(self, "crawler", None)) or self.seen
        for source in self.sources.values():
            for kind in self.entry_points:
                urls = getattr(source, kind)
                for request in await self.listing_requests(urls, source, kind):
                    yield request

    async def listing_requests(
        self, urls: Iterable[str], source: Source, kind: str
    ) -> list[scrapy.Request]:
        """Requests for feeds/sitemaps/homepages, conditional on stored validators."""
        urls = [normalize_url(url) for url in urls]
        records = await self.seen.get(urls) if kind != "homepages" else {}
        requests = []
        for url in urls:
            headers = {}
            record = records.get(url)
            if record is not None and record.etag:
                headers["If-None-Match"] = record.etag
            if record is not None and record.last_modified:
                headers["If-Modified-Since"] = record.last_modified
            request = scrapy.Request(
                url,
                callback=getattr(self, CALLBACKS[kind]),
                errback=self.on_error,
                headers=headers,
                meta=self._meta(source, KINDS[kind], handle_httpstatus_list=[304]),
                # a sitemap listed by robots.txt and by the config is one request
                priority=10,
            )
            requests.append(request)
        return requests

    def _meta(self, source: Source, kind: str, **extra: Any) -> dict[str, Any]:
        return {
            "source": source.name,
            KIND_META: kind,
            DOMAINS_META: sorted(self.domains[source.name]),
            **extra,
        }

    def not_modified(self, response: scrapy.http.Response) -> bool:
        """Count and say so when a conditional GET answered 304."""
        if response.status != 304:
            return False
        self.crawler.stats.inc_value("crawl/not_modified")
        logger.info("Not modified since the last crawl: %s", response.url)
        return True

    def remember_validators(self, response: scrapy.http.Response) -> None:
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        if etag or modified:
            self.seen.mark(
                normalize_url(response.request.url if response.request else response.url),
                etag=etag.decode("latin-1") if etag else None,
                last_modified=modified.decode("latin-1") if modified else None,
            )

    # -- from listed entries to article requests -------------------------------
    async def follow_entries(
        self, response: scrapy.http.Response, entries: Iterable[ListedEntry]
    ) -> list[scrapy.Request]:
        """Article requests for the entries that are on-site, recent and new or changed."""
        source = self.sources[response.meta["source"]]
        stats = self.crawler.stats
        assert stats is not None
        cutoff = datetime.now(UTC) - source.max_age
        fresh: dict[str, ListedEntry] = {}
        for entry in entries:
            url = normalize_url(entry.url, base=response.url)
            if not on_domains(url, self.domains[source.name]):
                stats.inc_value("crawl/dropped/offsite_link")
                logger.info("Off-site link in %s skipped: %s", response.url, url)
                continue
            listed = entry.published or entry.updated
            if listed is not None and listed < cutoff:
                stats.inc_value("crawl/dropped/too_old")
                logger.debug("Too old (%s) per %s: %s", listed, response.url, url)
                continue
            # Keyed by the normalised URL, which is also what gets fetched.
            fresh.setdefault(url, replace(entry, url=url))
        wanted, skipped = await self.seen.needs_fetch(list(fresh.values()), key=lambda e: e.url)
        if skipped:
            stats.inc_value("crawl/seen_skipped", skipped)
        listing = normalize_url(response.request.url if response.request else response.url)
        requests = []
        for entry in wanted:
            request = self.article_request(entry.url, source, entry)
            request.meta["listed_in"] = listing
            requests.append(request)
        return requests

    def article_request(
        self, url: str, source: Source, entry: ListedEntry | None = None
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta=self._meta(
                source,
                "article",
                listed_url=url,
                listed_updated=entry.changed if entry else None,
                listed_published=entry.published if entry else None,
                listed_title=entry.title if entry else "",
            ),
        )

    # -- articles --------------------------------------------------------------
    async def parse_article(self, response: scrapy.http.Response) -> AsyncIterator[Article]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("crawl/pages/article")
        meta = response.meta
        source = self.sources[meta["source"]]
        listed_url = meta.get("listed_url") or normalize_url(response.url)
        if not isinstance(response, TextResponse):
            self._refuse(response, "binary", "not a text response", listed_url)
            return
        try:
            page = await self.extraction.extract(response.text, response.url)
        except NotAnArticle as exc:
            self._refuse(response, exc.reason, exc.detail, listed_url)
            return
        published = page.published or meta.get("listed_published") or page.published_day
        if published is not None and published < datetime.now(UTC) - source.max_age:
            self._refuse(response, "too_old", f"published {published:%Y-%m-%d}", listed_url)
            return
        url = normalize_url(response.url)
        if listed_url != url:
            # Reached through a redirect: remember the listed URL too.
            self.seen.mark(listed_url, listed_updated=meta.get("listed_updated"))
        stats.inc_value("crawl/articles_extracted")
        fields = page_fields(page) | {
            "title": page.title or meta.get("listed_title", ""),
            "published": published,
            "language": self._language(page.title, page.text, page.language, response, source),
        }
        yield Article(
            **fields,
            url=url,
            canonical_url=_canonical(page.canonical_url, url),
            source=source.name,
            outlet=source.outlet_name(page.site_name, url),
            fetched_at=datetime.now(UTC),
            listed_updated=meta.get("listed_updated"),
        )

    def _language(
        self, title: str, text: str, declared: str | None, response: TextResponse, source: Source
    ) -> str | None:
        """The text's language; the page's, the HTTP header's and the source's are hints."""
        header = response.headers.get("Content-Language")
        hints = (declared, header.decode("latin-1") if header else None, source.language)
        language = detect_language(f"{title}\n{text}", hints)
        first = next(iter(hint_codes(hints)), None)
        if first is not None and language != first:
            self.crawler.stats.inc_value("crawl/language/hint_overruled")
        return language

    def _refuse(
        self, response: scrapy.http.Response, reason: str, detail: str, listed_url: str
    ) -> None:
        self.crawler.stats.inc_value(f"crawl/dropped/{reason}")
        logger.info("Dropped %s (%s): %s", response.url, reason, detail)
        # Fetched and judged: not fetched again unless its listing says it changed.
        self.seen.mark(listed_url, listed_updated=response.meta.get("listed_updated"))

    # -- failures --------------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        """Errback of every request: log the URL and count the cause; never raise."""
        key = failure_key(failure)
        if key is None:
            return  # a middleware refused the response and counted it
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if request is not None and key in TRANSIENT and request.meta.get("listed_in"):
            # The listing's validators would answer 304 next time and this story
            # would never be tried again: forget them, so the listing is read anew.
            self.seen.mark(request.meta["listed_in"])
        self.crawler.stats.inc_value(key)
        logger.warning(
            "%s: %s (%s)", key.rsplit("/", 1)[-1], url, failure.getErrorMessage() or failure.type
        )


def _canonical(declared: str, url: str) -> str:
    if not declared:
        return url
    canonical = normalize_url(declared, base=url)
    if not canonical.startswith(("http://", "https://")):
        return url
    # A canonical link to a site's front page is a template bug, not a story URL.
    path = canonical.split("/", 3)[3] if canonical.count("/") >= 3 else ""
    return canonical if path.strip("/") else url
