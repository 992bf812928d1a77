"""No listed entry is lost: feeds and sitemaps that fail strict parsing, broken anywhere."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree
from scrapy import Request
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from crawler.base.urls import normalize_url
from crawler.listings.feeds import parse_feed
from crawler.listings.listing import ListingError
from crawler.listings.sitemaps import parse_sitemap
from crawler.spiders.news import NewsSpider
from tests.harness.newsweb import damaged
from tests.harness.newsweb.feeds import Entry, atom, rdf, rss
from tests.harness.newsweb.outlets import OUTLETS
from tests.harness.newsweb.sitemaps import urlset
from tests.test_spiders import drain, make_config

SITE = "https://outlet.example"
NOW = datetime.now(UTC)
ENTRIES = [
    Entry(f"{SITE}/story/{n}?a=1&b={n}", f"Story {n} & more", "summary", NOW - timedelta(hours=n))
    for n in range(16)
]
URLS = [entry.url for entry in ENTRIES]
CASES = [*((w,) for w in damaged.WHERE), damaged.WHERE]
IDS = [*damaged.WHERE, "all-three"]


@pytest.mark.parametrize("where", CASES, ids=IDS)
@pytest.mark.parametrize("render", [rss, atom], ids=["rss", "atom"])
def test_broken_feed_keeps_every_entry_in_document_order(render, where) -> None:
    body = damaged.break_rss(render(OUTLETS[0], SITE, ENTRIES), *where).encode()
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)
    entries, salvage = parse_feed(body)
    assert [e.url for e in entries] == URLS
    assert salvage is not None and salvage.kept == 16 and salvage.scan == 16
    # Dates and titles of the whole entries come through too.
    published = entries[8].published
    assert published is not None and abs(published - ENTRIES[8].published) < timedelta(seconds=1)
    assert entries[-1].title == "Story 15 & more"


@pytest.mark.parametrize("where", CASES, ids=IDS)
def test_broken_sitemap_keeps_every_url(where) -> None:
    body = damaged.break_sitemap(urlset(ENTRIES), *where).encode()
    sitemap = parse_sitemap(body)
    assert [e.url for e in sitemap.entries] == URLS
    assert sitemap.damaged and sitemap.salvage is not None and sitemap.salvage.kept == 16


def test_the_recovering_parser_alone_loses_entries_the_scan_keeps() -> None:
    """The issue's feed: the parser's count is below the listing's, the union is whole."""
    body = damaged.break_rss(rss(OUTLETS[0], SITE, ENTRIES), *damaged.WHERE).encode()
    _, salvage = parse_feed(body)
    assert salvage is not None
    assert salvage.tree < 16 and salvage.beyond_tree >= 1 and salvage.kept == 16


def test_rdf_feed_and_junk_before_the_document_are_salvaged() -> None:
    text = rdf(OUTLETS[2], SITE, ENTRIES).replace("</rdf:RDF>", "")
    body = ("<b>Warning</b>: session_start() failed in feed.php\n" + text).encode()
    entries, salvage = parse_feed(body)
    assert [e.url for e in entries] == URLS
    assert salvage is not None


def test_a_url_corrupted_by_the_recovering_parser_is_never_followed() -> None:
    # After an error, libxml2's recovery reads `&amp;` in later links as nothing.
    body = damaged.break_rss(rss(OUTLETS[0], SITE, ENTRIES), "start").encode()
    entries, _ = parse_feed(body)
    assert all("&b=" in entry.url for entry in entries)


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss><channel><item><title>cut',
        b'<?xml version="1.0"?><rss><channel><item><link>https://outlet.example/cu',
        b"\x00\x01garbage",
    ],
)
def test_a_feed_without_one_whole_link_is_an_error(body: bytes) -> None:
    with pytest.raises(ListingError):
        parse_feed(body)


def test_spider_follows_every_salvaged_entry_logs_and_counts_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler(NewsSpider, {"NEWSWATCH_CONFIG": make_config()})
    spider = NewsSpider.from_crawler(crawler)
    crawler.spider = spider
    body = damaged.break_rss(rss(OUTLETS[0], SITE, ENTRIES), *damaged.WHERE).encode()
    url = f"{SITE}/feed.xml"
    response = XmlResponse(
        url, body=body, request=Request(url, meta={"source": "outlet", "page_kind": "feed"})
    )
    with caplog.at_level(logging.WARNING):
        requests = drain(spider.parse_feed(response))
    assert [r.url for r in requests] == [normalize_url(u) for u in URLS]
    assert crawler.stats.get_value("crawl/feeds/salvaged") == 16
    assert crawler.stats.get_value("crawl/errors/malformed_feed") == 1
    [line] = [r.getMessage() for r in caplog.records if url in r.getMessage()]
    assert "16 salvaged" in line


def test_spider_follows_every_salvaged_sitemap_url_and_counts_it() -> None:
    crawler = get_crawler(NewsSpider, {"NEWSWATCH_CONFIG": make_config()})
    spider = NewsSpider.from_crawler(crawler)
    crawler.spider = spider
    body = damaged.break_sitemap(urlset(ENTRIES), *damaged.WHERE).encode()
    url = f"{SITE}/sitemap.xml"
    response = XmlResponse(
        url, body=body, request=Request(url, meta={"source": "outlet", "page_kind": "sitemap"})
    )
    requests = drain(spider.parse_sitemap(response))
    assert [r.url for r in requests] == [normalize_url(u) for u in URLS]
    assert crawler.stats.get_value("crawl/sitemaps/salvaged") == 16
    assert crawler.stats.get_value("crawl/errors/truncated_sitemap") == 1


def test_salvaged_titles_are_read_in_the_declared_encoding() -> None:
    entries = [Entry(f"{SITE}/z", "Z\u00fcrich & Gen\u00e8ve", "s", NOW)]
    text = rss(OUTLETS[0], SITE, entries).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    body = damaged.break_rss(text, "end").encode("latin-1")
    [entry], salvage = parse_feed(body)
    assert salvage is not None
    assert entry.title == "Z\u00fcrich & Gen\u00e8ve"
