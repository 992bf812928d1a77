"""Text is clean Unicode: entities decoded, markup stripped, mislabeled charsets and mojibake
repaired, and a page whose characters are lost refused with a reason."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.extract import NotAnArticle, extract_article
from crawler.extract.cleantext import clean_inline, damaged_chars, repair_text
from crawler.middlewares.charset import CharsetMiddleware
from crawler.spiders.news import NewsSpider
from tests.harness.newsweb import damaged
from tests.harness.newsweb.model import SpecialPage
from tests.test_spiders import make_config, parsed

SITE = "https://outlet.example"
# Escapes, tags and the first bytes of the usual mojibake (Ã¼, â€™).
DAMAGE_MARKERS = ("&#", "&amp;", "<b>", "<i>", "\u00c3", "\u00e2\u20ac")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Pyongyang doesn&#8217;t deny", "Pyongyang doesn\u2019t deny"),
        ("Pyongyang doesn&amp;#8217;t deny", "Pyongyang doesn\u2019t deny"),
        ("Tom &amp;amp; Jerry", "Tom & Jerry"),
        ("<b>Breaking</b>: general <i>seen</i> in Moscow", "Breaking: general seen in Moscow"),
        ("&lt;b&gt;Breaking&lt;/b&gt;: troops", "Breaking: troops"),
        ("Line one<br/>line two", "Line one line two"),
        ("ZÃ¼rich talks: a makerâ€™s view", "Z\u00fcrich talks: a maker\u2019s view"),
        # Clean text passes through as it is.
        ("AT&T, R&D and x < y", "AT&T, R&D and x < y"),
        (
            "\u201cQuoted\u201d \ufb01nance in K\u00f6ln",
            "\u201cQuoted\u201d \ufb01nance in K\u00f6ln",
        ),
    ],
)
def test_inline_values_are_what_a_reader_sees(raw: str, clean: str) -> None:
    assert clean_inline(raw) == clean


def test_text_repair_keeps_paragraphs_and_fixes_mojibake() -> None:
    assert repair_text("ZÃ¼rich\n\nmakerâ€™s") == "Z\u00fcrich\n\nmaker\u2019s"
    assert damaged_chars("Z\ufffdrich and ZÃ¼rich") >= 2
    assert damaged_chars("Z\u00fcrich, \u201cplain\u201d") == 0


def response_for(kind: str, url: str | None = None) -> HtmlResponse:
    """A damaged page of the mock web, decoded as the crawl's charset middleware leaves it."""
    special = SpecialPage(
        "newsmix", damaged.page(kind).path, kind, False, "", "", datetime.now(UTC)
    )
    content_type, body = damaged.render_page(special, SITE)
    url = url or SITE + special.path
    request = Request(url, meta={"source": "outlet", "page_kind": "article"})
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type}, request=request)
    crawler = get_crawler(settings_dict={})
    middleware = CharsetMiddleware.from_crawler(crawler)
    result = middleware.process_response(request, response)
    assert isinstance(result, HtmlResponse)
    return result


@pytest.mark.parametrize("kind", ["entity_title", "markup_title", "source_mojibake"])
def test_page_titles_and_text_are_stored_clean(kind: str) -> None:
    page = extract_article(response_for(kind).text, SITE + damaged.page(kind).path)
    assert page.title == damaged.page(kind).title
    for paragraph in damaged.page(kind).paragraphs:
        assert paragraph in page.text
    assert page.authors == ["Mira Sol\u00e9r"]
    leftovers = [m for m in DAMAGE_MARKERS if m in page.title + page.text + page.description]
    assert not leftovers


def test_utf8_page_served_as_latin1_is_decoded_as_utf8_and_counted() -> None:
    crawler = get_crawler(settings_dict={})
    middleware = CharsetMiddleware.from_crawler(crawler)
    special = damaged.page("mislabeled_charset")
    body = f"<html><body><p>{special.paragraphs[0]}</p></body></html>".encode()
    request = Request(SITE + special.path)
    response = HtmlResponse(
        request.url, body=body, headers={"Content-Type": special.content_type}, request=request
    )
    assert "Z\u00c3\u00bcrich" in response.text  # what Scrapy alone makes of it
    fixed = middleware.process_response(request, response)
    assert "Z\u00fcrich" in fixed.text
    assert crawler.stats.get_value("crawl/charset/mismatch") == 1
    # A page that really is Latin-1 keeps its label.
    latin = HtmlResponse(
        request.url,
        body=body.decode().encode("latin-1"),
        headers={"Content-Type": special.content_type},
    )
    assert middleware.process_response(request, latin) is latin


def test_mislabeled_page_extracts_without_mojibake() -> None:
    page = extract_article(response_for("mislabeled_charset").text, SITE + "/z")
    assert page.title == "Z\u00fcrich talks weigh North Korean troops in Russia"
    assert "Z\u00fcrich on Friday" in page.text and "drone maker\u2019s" in page.text
    assert "\u00c3" not in page.text and "\u00e2\u20ac" not in page.text


def test_page_with_lost_characters_is_refused_logged_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.raises(NotAnArticle) as refused:
        extract_article(response_for("unrepairable_encoding").text, SITE + "/lost")
    assert refused.value.reason == "bad_encoding"

    crawler = get_crawler(
        NewsSpider, {"NEWSWATCH_CONFIG": make_config(), "NEWSWATCH_EXTRACTION_PROCESSES": 0}
    )
    spider = NewsSpider.from_crawler(crawler)
    crawler.spider = spider
    url = SITE + damaged.page("unrepairable_encoding").path
    with caplog.at_level(logging.INFO):
        items = parsed(spider, response_for("unrepairable_encoding", url))
    assert items == []
    assert crawler.stats.get_value("crawl/dropped/bad_encoding") == 1
    assert any(url in r.getMessage() and "bad_encoding" in r.getMessage() for r in caplog.records)
