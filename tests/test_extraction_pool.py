"""Extraction and signing in worker processes give what inline ones give, refusals included."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.crawl.extraction import ExtractionPool
from crawler.dedup.signature import sign
from crawler.extract import NotAnArticle, extract_article

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "https://www.aggregator.example/news/nk"


@pytest.fixture
def pool() -> Iterator[ExtractionPool]:
    pool = ExtractionPool(processes=1, min_text_chars=400)
    yield pool
    pool.close()


def test_a_worker_extracts_and_signs_what_the_crawl_process_would(pool: ExtractionPool) -> None:
    html = (PAGES / "aggregator-seed.html").read_text(encoding="utf-8")
    page = asyncio.run(pool.extract(html, URL))
    assert page == extract_article(html, URL, min_text_chars=400)
    assert pool._executor is not None  # it really ran in a worker
    cleaned = "\n".join(page.text.splitlines()[1:])  # as when learned furniture is stripped
    # dedup gets the final text's signature ready: normal form, hash and band keys
    signature = asyncio.run(pool.sign(cleaned, URL))
    assert signature == sign(cleaned)
    assert signature.signs(cleaned) and not signature.signs(page.text)
    assert signature.bands and signature.content_hash


def test_a_refusal_keeps_its_reason_across_the_process_boundary(pool: ExtractionPool) -> None:
    html = (PAGES / "paywall-stub.html").read_text(encoding="utf-8")
    with pytest.raises(NotAnArticle) as refused:
        asyncio.run(pool.extract(html, URL))
    assert refused.value.reason == "too_short"
    assert "characters of text" in refused.value.detail


def test_no_worker_starts_when_extraction_is_inline() -> None:
    pool = ExtractionPool(processes=0, min_text_chars=400)
    html = (PAGES / "aggregator-seed.html").read_text(encoding="utf-8")
    assert asyncio.run(pool.extract(html, URL)).title
    assert pool._executor is None
