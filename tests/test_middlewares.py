"""Downloader middlewares, built with get_crawler() and fed hand-made requests/responses."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from crawler.crawl.dropped import DroppedResponse
from crawler.middlewares.backoff import DELAY_META, BackoffRetryMiddleware
from crawler.middlewares.charset import CharsetMiddleware, detect_encoding
from crawler.middlewares.content import BinaryContentMiddleware
from crawler.middlewares.offsite import OffsiteRedirectMiddleware

PAGES = Path(__file__).parent / "fixtures" / "pages"


def crawler_for(settings: dict | None = None):
    crawler = get_crawler(Spider, settings)
    crawler.spider = crawler._create_spider("test")
    return crawler


def article_request(url: str, **meta) -> Request:
    meta = {"page_kind": "article", "allowed_domains": ["outlet.example"], **meta}
    return Request(url, meta=meta)


# -- off-site redirects and loops ------------------------------------------------
def test_offsite_redirect_is_dropped_and_counted() -> None:
    crawler = crawler_for()
    middleware = OffsiteRedirectMiddleware.from_crawler(crawler)
    request = article_request("https://www.outlet.example/story")
    response = Response(
        request.url, status=302, headers={"Location": "https://spam.example/x"}, request=request
    )
    with pytest.raises(DroppedResponse) as caught:
        middleware.process_response(request, response)
    assert caught.value.reason == "offsite_redirect"
    assert crawler.stats.get_value("crawl/dropped/offsite_redirect") == 1


def test_same_site_redirect_passes() -> None:
    crawler = crawler_for()
    middleware = OffsiteRedirectMiddleware.from_crawler(crawler)
    request = article_request("http://outlet.example/story")
    response = Response(request.url, status=301, headers={"Location": "/story/"}, request=request)
    assert middleware.process_response(request, response) is response
    assert crawler.stats.get_value("crawl/dropped/offsite_redirect") is None


def test_redirect_loop_is_cut_at_the_first_repeat() -> None:
    crawler = crawler_for()
    middleware = OffsiteRedirectMiddleware.from_crawler(crawler)
    request = article_request(
        "https://outlet.example/loop/b", redirect_urls=["https://outlet.example/loop/a"]
    )
    response = Response(
        request.url, status=302, headers={"Location": "/loop/a?utm_source=x"}, request=request
    )
    with pytest.raises(DroppedResponse):
        middleware.process_response(request, response)
    assert crawler.stats.get_value("crawl/errors/redirect_loop") == 1


def test_offsite_check_can_be_switched_off() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        OffsiteRedirectMiddleware.from_crawler(crawler_for({"OFFSITE_REDIRECT_ENABLED": False}))


# -- binary bodies behind article URLs ------------------------------------------
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/pdf", b"%PDF-1.7 ..."),
        ("text/html; charset=utf-8", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3 binary"),
        ("text/html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("", b"\x00\x01\x02\x03" * 300),
        ("application/octet-stream", b"anything"),
    ],
)
def test_binary_article_response_is_dropped(content_type: str, body: bytes) -> None:
    crawler = crawler_for()
    middleware = BinaryContentMiddleware.from_crawler(crawler)
    request = article_request("https://outlet.example/story.html")
    headers = {"Content-Type": content_type} if content_type else {}
    response = Response(request.url, body=body, headers=headers, request=request)
    with pytest.raises(DroppedResponse) as caught:
        middleware.process_response(request, response)
    assert caught.value.reason == "binary"
    assert crawler.stats.get_value("crawl/dropped/binary") == 1


def test_html_article_and_xml_feed_pass_the_binary_check() -> None:
    crawler = crawler_for()
    middleware = BinaryContentMiddleware.from_crawler(crawler)
    request = article_request("https://outlet.example/story.html")
    html = HtmlResponse(request.url, body=b"<html><p>Hi</p></html>", request=request)
    assert middleware.process_response(request, html) is html
    feed_request = Request("https://outlet.example/feed", meta={"page_kind": "feed"})
    feed = Response(feed_request.url, body=b"\x1f\x8b gzip", request=feed_request)
    assert middleware.process_response(feed_request, feed) is feed


# -- charsets -------------------------------------------------------------------
def decode(body: bytes, content_type: str | None) -> TextResponse:
    crawler = crawler_for()
    middleware = CharsetMiddleware.from_crawler(crawler)
    request = article_request("https://outlet.example/ru.html")
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(request.url, body=body, headers=headers, request=request)
    result = middleware.process_response(request, response)
    assert isinstance(result, TextResponse)
    return result


RUSSIAN = "Разведка Украины: КНДР расширяет участие в войне"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("cp1251-meta.html", None),  # declared in <meta> only
        ("cp1251-meta.html", "text/html; charset=windows-1251"),  # header and meta
        ("cp1251-nometa.html", "text/html; charset=windows-1251"),  # header only
        ("cp1251-nometa.html", None),  # declared nowhere: detected
        ("cp1251-nometa.html", "text/html"),  # a header without charset
        ("cp1251-nometa.html", "text/html; charset=utf-8"),  # a header that lies
    ],
)
def test_windows_1251_page_is_decoded_right(name: str, content_type: str | None) -> None:
    response = decode((PAGES / name).read_bytes(), content_type)
    assert RUSSIAN in response.text


LATIN = "Les soldats nord-coréens sont arrivés à la frontière, déjà épuisés, señor Müller."


@pytest.mark.parametrize("content_type", [None, "text/html; charset=iso-8859-1"])
def test_latin1_page_is_decoded_right(content_type: str | None) -> None:
    body = f"<html><body><p>{LATIN}</p></body></html>".encode("latin-1")
    assert LATIN in decode(body, content_type).text


def test_utf8_page_is_left_alone() -> None:
    body = f"<html><head><meta charset='utf-8'></head><p>{RUSSIAN}</p></html>".encode()
    response = decode(body, "text/html; charset=utf-8")
    assert RUSSIAN in response.text
    assert response.encoding == "utf-8"


def test_detect_encoding_prefers_common_web_encodings_on_ties() -> None:
    assert detect_encoding(LATIN.encode("cp1252")) == "cp1252"


# -- retries with backoff -------------------------------------------------------
def test_retry_carries_a_growing_backoff_delay() -> None:
    crawler = crawler_for({"RETRY_TIMES": 3, "RETRY_BACKOFF_BASE": 2.0, "RETRY_BACKOFF_MAX": 100})
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://outlet.example/busy")
    delays = []
    for _ in range(3):
        response = Response(request.url, status=503, request=request)
        request = middleware.process_response(request, response)
        assert isinstance(request, Request)
        delays.append(request.meta[DELAY_META])
    assert 1.0 <= delays[0] <= 2.0
    assert 2.0 <= delays[1] <= 4.0
    assert 4.0 <= delays[2] <= 8.0
    # the fourth failure gives up: the response goes on to the errback as HttpError
    final = Response(request.url, status=503, request=request)
    assert middleware.process_response(request, final) is final


def test_retry_after_header_is_honoured() -> None:
    crawler = crawler_for({"RETRY_BACKOFF_BASE": 0.1})
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://outlet.example/limited")
    response = Response(request.url, status=429, headers={"Retry-After": "7"}, request=request)
    retry = middleware.process_response(request, response)
    assert isinstance(retry, Request)
    assert retry.meta[DELAY_META] == 7.0


def test_timeouts_are_retried_with_backoff() -> None:
    from scrapy.exceptions import DownloadTimeoutError

    crawler = crawler_for()
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://outlet.example/slow")
    retry = middleware.process_exception(request, DownloadTimeoutError("took too long"))
    assert isinstance(retry, Request)
    assert retry.meta[DELAY_META] > 0


def test_the_wait_happens_before_the_retried_request() -> None:
    crawler = crawler_for()
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://outlet.example/busy", meta={DELAY_META: 0.001})
    asyncio.run(middleware.process_request(request))
    assert DELAY_META not in request.meta
    assert crawler.stats.get_value("crawl/retry_backoff_waits") == 1
