"""Spider callbacks on hand-made responses: what gets requested, dropped and counted."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.config import Config
from crawler.crawl.dropped import DroppedResponse
from crawler.items import Article
from crawler.listings.listing import ListedEntry
from crawler.spiders.news import NewsSpider

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

PAGES = Path(__file__).parent / "fixtures" / "pages"
NOW = datetime.now(UTC)
SITE = "https://outlet.example"


def make_config(**source: object) -> Config:
    return Config.model_validate(
        {
            "topics": [{"name": "dprk", "query": '"North Korea" AND Russia'}],
            "sources": [
                {
                    "name": "outlet",
                    "outlet": "Outlet News",
                    "feeds": [f"{SITE}/feed.xml"],
                    "sitemaps": [f"{SITE}/sitemap.xml"],
                    "homepages": [f"{SITE}/"],
                    "max_age": "7d",
                    **source,
                },
                {"name": "other", "feeds": ["https://other.example/rss"]},
            ],
        }
    )


@pytest.fixture
def spider() -> NewsSpider:
    crawler = get_crawler(
        NewsSpider, {"NEWSWATCH_CONFIG": make_config(), "NEWSWATCH_EXTRACTION_PROCESSES": 0}
    )
    spider = NewsSpider.from_crawler(crawler)
    crawler.spider = spider
    return spider


def parsed(spider: NewsSpider, response: Response) -> list[object]:
    """What parse_article yields for `response` (extraction inline: no reactor here)."""

    async def collect() -> list[object]:
        return [item async for item in spider.parse_article(response)]

    return asyncio.run(collect())


def drain(requests: AsyncIterator[Request]) -> list[Request]:
    """What a listing callback yields (seen look-ups in memory: no reactor here)."""

    async def collect() -> list[Request]:
        return [request async for request in requests]

    return asyncio.run(collect())


def stat(spider: NewsSpider, key: str) -> int | None:
    return spider.crawler.stats.get_value(key)


def listing(kind: str, url: str, body: bytes, status: int = 200, source: str = "outlet"):
    request = Request(url, meta={"source": source, "page_kind": kind})
    return XmlResponse(url, body=body, status=status, request=request)


def rss(*items: tuple[str, datetime | None]) -> bytes:
    xml = []
    for url, date in items:
        pub = f"<pubDate>{format_datetime(date)}</pubDate>" if date else ""
        xml.append(f"<item><title>t</title><link>{url}</link>{pub}</item>")
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel>{"".join(xml)}</channel></rss>'.encode()
    )


# -- start ------------------------------------------------------------------------
async def collect(spider: NewsSpider) -> list[Request]:
    return [request async for request in spider.start()]


def test_start_requests_every_entry_point_with_source_meta(spider: NewsSpider) -> None:
    import asyncio

    requests = asyncio.run(collect(spider))
    urls = {r.url: r for r in requests}
    assert set(urls) == {
        f"{SITE}/feed.xml",
        f"{SITE}/sitemap.xml",
        f"{SITE}/",
        f"{SITE}/robots.txt",
        "https://other.example/rss",
    }
    feed = urls[f"{SITE}/feed.xml"]
    assert feed.meta["source"] == "outlet"
    assert feed.meta["allowed_domains"] == ["outlet.example"]
    assert feed.errback == spider.on_error
    assert 304 in feed.meta["handle_httpstatus_list"]


def test_feed_validators_make_the_next_request_conditional(spider: NewsSpider) -> None:
    import asyncio

    feed = listing("feed", f"{SITE}/feed.xml", rss())
    feed.headers[b"ETag"] = b'"v1"'
    feed.headers[b"Last-Modified"] = b"Thu, 26 Nov 2026 10:00:00 GMT"
    drain(spider.parse_feed(feed))
    request = next(r for r in asyncio.run(collect(spider)) if r.url.endswith("/feed.xml"))
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == b"Thu, 26 Nov 2026 10:00:00 GMT"


def test_only_the_chosen_source_is_crawled() -> None:
    import asyncio

    crawler = get_crawler(
        NewsSpider, {"NEWSWATCH_CONFIG": make_config(), "NEWSWATCH_SOURCES": ["other"]}
    )
    spider = NewsSpider.from_crawler(crawler)
    assert [r.url for r in asyncio.run(collect(spider))] == ["https://other.example/rss"]


# -- feeds --------------------------------------------------------------------------
def test_feed_entries_become_article_requests(spider: NewsSpider) -> None:
    body = rss(
        (f"{SITE}/a?utm_source=rss#top", NOW - timedelta(hours=1)),
        (f"{SITE}/b", None),
        (f"{SITE}/old", NOW - timedelta(days=30)),
        ("https://elsewhere.example/c", NOW),
    )
    requests = drain(spider.parse_feed(listing("feed", f"{SITE}/feed.xml", body)))
    assert [r.url for r in requests] == [f"{SITE}/a", f"{SITE}/b"]
    assert requests[0].callback == spider.parse_article
    assert requests[0].meta["page_kind"] == "article"
    assert stat(spider, "crawl/dropped/too_old") == 1
    assert stat(spider, "crawl/dropped/offsite_link") == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Not a feed</body></html>",
        b"\x00\x01garbage",
        b'<?xml version="1.0"?><rss><channel><item><title>cut',
    ],
)
def test_malformed_feed_is_counted_never_fatal(spider: NewsSpider, body: bytes) -> None:
    response = TextResponse(
        f"{SITE}/feed.xml",
        body=body,
        request=Request(f"{SITE}/feed.xml", meta={"source": "outlet", "page_kind": "feed"}),
    )
    assert drain(spider.parse_feed(response)) == []
    assert stat(spider, "crawl/errors/malformed_feed") == 1


@pytest.mark.parametrize(
    ("cut", "followed"),
    [("</pubDate></item></channel></rss>", ["a", "b"]), ("b</link>", ["a"])],
    ids=["cut-after-last-link", "cut-inside-last-link"],
)
def test_damaged_feed_yields_every_whole_link_never_a_cut_one(
    spider: NewsSpider, cut: str, followed: list[str]
) -> None:
    whole = rss((f"{SITE}/a", NOW), (f"{SITE}/b", NOW)).decode()
    body = whole[: whole.rindex(cut)].encode()
    requests = drain(spider.parse_feed(listing("feed", f"{SITE}/feed.xml", body)))
    assert [r.url for r in requests] == [f"{SITE}/{name}" for name in followed]
    assert stat(spider, "crawl/errors/malformed_feed") == 1
    assert stat(spider, "crawl/feeds/salvaged") == len(followed)


def test_not_modified_feed_is_counted(spider: NewsSpider) -> None:
    response = listing("feed", f"{SITE}/feed.xml", b"", status=304)
    assert drain(spider.parse_feed(response)) == []
    assert stat(spider, "crawl/not_modified") == 1


@pytest.mark.parametrize(
    "body",
    [
        b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
        <entry><title>A</title><link rel="alternate" href="https://outlet.example/a"/>
        <link rel="enclosure" href="https://outlet.example/a.mp3"/>
        <updated>2026-11-25T10:00:00Z</updated><published>2026-11-25T09:00:00Z</published></entry></feed>""",
        b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://outlet.example/"><title>x</title></channel>
        <item rdf:about="https://outlet.example/a"><title>A</title><link>https://outlet.example/a</link>
        <dc:date>2026-11-25T09:00:00Z</dc:date></item></rdf:RDF>""",
    ],
    ids=["atom", "rdf"],
)
def test_atom_and_rdf_feeds(body: bytes) -> None:
    from crawler.listings.feeds import parse_feed

    entries, damaged = parse_feed(body)
    assert not damaged
    assert [e.url for e in entries] == [f"{SITE}/a"]
    assert entries[0].published == datetime(2026, 11, 25, 9, tzinfo=UTC)


# -- seen state -----------------------------------------------------------------------
def test_seen_story_is_skipped_unless_its_listing_says_it_changed(spider: NewsSpider) -> None:
    listed = NOW - timedelta(hours=5)
    spider.seen.mark(f"{SITE}/a", story_id="s1", listed_updated=listed)
    spider.seen.mark(f"{SITE}/b", story_id="s2", listed_updated=listed)
    body = rss((f"{SITE}/a", listed), (f"{SITE}/b", listed + timedelta(hours=1)))
    requests = drain(spider.parse_feed(listing("feed", f"{SITE}/feed.xml", body)))
    assert [r.url for r in requests] == [f"{SITE}/b"]
    assert stat(spider, "crawl/seen_skipped") == 1


# -- sitemaps ---------------------------------------------------------------------------
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_sitemap_index_requests_its_sitemaps(spider: NewsSpider) -> None:
    body = f"""<?xml version="1.0"?><sitemapindex {SITEMAP_NS}>
      <sitemap><loc>{SITE}/sitemap-news.xml</loc></sitemap>
      <sitemap><loc>https://elsewhere.example/s.xml</loc></sitemap></sitemapindex>""".encode()
    requests = drain(spider.parse_sitemap(listing("sitemap", f"{SITE}/sitemap.xml", body)))
    assert [r.url for r in requests] == [f"{SITE}/sitemap-news.xml"]
    assert requests[0].callback == spider.parse_sitemap


def test_google_news_sitemap_dates_and_truncation(spider: NewsSpider) -> None:
    recent = (NOW - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = f"""<?xml version="1.0"?><urlset {SITEMAP_NS}
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>{SITE}/a</loc><news:news><news:publication_date>{recent}</news:publication_date>
      <news:title>A</news:title></news:news></url>
      <url><loc>{SITE}/old</loc><lastmod>2020-01-01</lastmod></url>
      <url><loc>{SITE}/b</loc></url>
      <url><loc>{SITE}/cut-in-the-mid""".encode()
    requests = drain(spider.parse_sitemap(listing("sitemap", f"{SITE}/sitemap.xml", body)))
    assert [r.url for r in requests] == [f"{SITE}/a", f"{SITE}/b"]
    assert stat(spider, "crawl/errors/truncated_sitemap") == 1
    assert stat(spider, "crawl/dropped/too_old") == 1


def test_robots_txt_sitemap_lines_are_followed(spider: NewsSpider) -> None:
    body = b"User-agent: *\nDisallow: /private/\nSitemap: https://outlet.example/news-sitemap.xml\n"
    request = Request(f"{SITE}/robots.txt", meta={"source": "outlet", "page_kind": "robots"})
    response = TextResponse(request.url, body=body, request=request)
    requests = drain(spider.parse_robots(response))
    assert [r.url for r in requests] == [f"{SITE}/news-sitemap.xml"]
    assert requests[0].callback == spider.parse_sitemap


# -- homepages --------------------------------------------------------------------------
def homepage(body: str) -> HtmlResponse:
    request = Request(f"{SITE}/", meta={"source": "outlet", "page_kind": "homepage"})
    return HtmlResponse(f"{SITE}/", body=body.encode(), request=request)


def test_homepage_feed_discovery(spider: NewsSpider) -> None:
    response = homepage(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" hreflang="de" href="/de/"></head>'
        '<body><a href="/world/2026/11/some-long-story-slug">A long headline about a story</a>'
        "</body></html>"
    )
    requests = drain(spider.parse_homepage(response))
    assert [r.url for r in requests] == [f"{SITE}/rss.xml"]
    assert requests[0].callback == spider.parse_feed


def test_homepage_without_feed_falls_back_to_article_links(spider: NewsSpider) -> None:
    response = homepage(
        "<html><body><nav><a href='/world'>World</a>"
        "<a href='/tag/korea'>Korea news and more links</a></nav>"
        "<a href='/world/2026/11/troops-at-the-front'>"
        "North Korean troops at the front, says Kyiv</a>"
        "<a href='https://elsewhere.example/x'>A long headline on somebody else's site</a>"
        "<a href='/about'>About this newspaper and its many editors</a></body></html>"
    )
    requests = drain(spider.parse_homepage(response))
    assert [r.url for r in requests] == [f"{SITE}/world/2026/11/troops-at-the-front"]
    assert requests[0].callback == spider.parse_article


# -- articles -----------------------------------------------------------------------------
def article_response(name: str, url: str = f"{SITE}/news/nk", **meta: object) -> HtmlResponse:
    request = spider_request = Request(
        url, meta={"source": "outlet", "page_kind": "article", "listed_url": url, **meta}
    )
    del spider_request
    return HtmlResponse(url, body=(PAGES / name).read_bytes(), request=request)


def test_article_page_becomes_an_article(spider: NewsSpider) -> None:
    spider.config = make_config(max_age="1000d")
    spider.sources = {s.name: s for s in spider.config.sources}
    [article] = parsed(spider, article_response("aggregator-seed.html"))
    assert isinstance(article, Article)
    assert article.url == f"{SITE}/news/nk"
    assert (
        article.canonical_url
        == "https://www.aggregator.example/news/ukraine-warns-north-korea-role-war/"
    )
    # The config's `outlet:` names the outlet before the page's own site name does.
    assert article.outlet == "Outlet News"
    assert article.source == "outlet"
    assert article.authors == ["Aleksandra Nowak"]
    assert "Also read" not in article.text
    assert stat(spider, "crawl/articles_extracted") == 1


def test_outlet_name_falls_back_to_the_source(spider: NewsSpider) -> None:
    spider.config = make_config(max_age="1000d")
    spider.sources = {s.name: s for s in spider.config.sources}
    [article] = parsed(spider, article_response("plain-seed.html"))
    assert article.outlet == "Outlet News"
    assert article.canonical_url == article.url


def test_story_older_than_max_age_is_dropped(spider: NewsSpider) -> None:
    html = (
        (PAGES / "aggregator-seed.html")
        .read_text(encoding="utf-8")
        .replace("2026-11-20", "2020-11-20")
    )
    request = Request(f"{SITE}/old", meta={"source": "outlet", "page_kind": "article"})
    response = HtmlResponse(request.url, body=html.encode(), request=request)
    assert parsed(spider, response) == []
    assert stat(spider, "crawl/dropped/too_old") == 1


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("tag-index.html", "not_article"),
        ("video-only.html", "not_article"),
        ("paywall-stub.html", "too_short"),
    ],
)
def test_non_articles_are_dropped_counted_and_remembered(
    spider: NewsSpider, name: str, reason: str
) -> None:
    url = f"{SITE}/x/{name}"
    assert parsed(spider, article_response(name, url)) == []
    assert stat(spider, f"crawl/dropped/{reason}") == 1
    assert url in asyncio.run(spider.seen.get([url]))


def test_non_text_response_is_dropped_as_binary(spider: NewsSpider) -> None:
    request = Request(f"{SITE}/a.pdf", meta={"source": "outlet", "page_kind": "article"})
    response = Response(request.url, body=b"%PDF-1.4", request=request)
    assert parsed(spider, response) == []
    assert stat(spider, "crawl/dropped/binary") == 1


# -- failures -------------------------------------------------------------------------------
def failed(exception: Exception, url: str = f"{SITE}/x") -> Failure:
    failure = Failure(exception)
    failure.request = Request(url)  # type: ignore[attr-defined]
    return failure


@pytest.mark.parametrize(
    ("exception", "key"),
    [
        (HttpError(Response(f"{SITE}/x", status=404), "404"), "crawl/errors/http_404"),
        (HttpError(Response(f"{SITE}/x", status=500), "500"), "crawl/errors/http_500"),
        (DownloadTimeoutError("took longer than 1.0 seconds"), "crawl/errors/timeout"),
        (DownloadCancelledError("larger than download max size"), "crawl/dropped/too_large"),
        (IgnoreRequest("max redirections reached"), "crawl/errors/redirect_loop"),
        (IgnoreRequest("Forbidden by robots.txt"), "crawl/dropped/robots_txt"),
    ],
)
def test_every_failure_is_logged_with_its_url_and_counted(
    spider: NewsSpider, exception: Exception, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    spider.on_error(failed(exception, f"{SITE}/bad-page"))
    assert stat(spider, key) == 1
    assert f"{SITE}/bad-page" in caplog.text


def test_a_transient_failure_makes_its_listing_unconditional_again(spider: NewsSpider) -> None:
    feed = listing("feed", f"{SITE}/feed.xml", rss((f"{SITE}/a", NOW)))
    feed.headers[b"ETag"] = b'"v1"'
    [request] = drain(spider.parse_feed(feed))
    assert asyncio.run(spider.seen.get([f"{SITE}/feed.xml"]))[f"{SITE}/feed.xml"].etag == '"v1"'
    failure = Failure(DownloadTimeoutError("took longer than 2.0 seconds"))
    failure.request = request  # type: ignore[attr-defined]
    spider.on_error(failure)
    # no validator left: the next run reads the feed again and retries the story
    assert asyncio.run(spider.seen.get([f"{SITE}/feed.xml"]))[f"{SITE}/feed.xml"].etag is None
    assert f"{SITE}/a" not in asyncio.run(spider.seen.get([f"{SITE}/a"]))


def test_drops_counted_by_a_middleware_are_not_counted_twice(spider: NewsSpider) -> None:
    spider.on_error(failed(DroppedResponse("binary", "PDF bytes")))
    assert not any(k.startswith("crawl/") for k in spider.crawler.stats.get_stats())


def test_listed_entry_changed_prefers_updated() -> None:
    entry = ListedEntry("u", published=NOW - timedelta(days=1), updated=NOW)
    assert entry.changed == NOW
