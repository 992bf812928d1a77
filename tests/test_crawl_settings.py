"""The config -> Scrapy settings edge, and the crawl summary the scheduler reads."""

from __future__ import annotations

import pytest

from crawler.config import Config
from crawler.crawl.settings import crawl_settings
from crawler.crawl.summary import human_summary, summarize

CONFIG = Config.model_validate(
    {
        "crawl": {
            "user_agent": "newswatch-test (+https://example.org/contact)",
            "download_timeout": "7s",
            "max_response_bytes": 100000,
            "concurrent_requests_per_domain": 3,
            "obey_robots_txt": True,
        },
        "topics": [{"name": "dprk", "query": "Pyongyang"}, {"name": "gas", "query": "gas"}],
        "sources": [
            {"name": "a", "feeds": ["https://www.a.example/feed"], "crawl_delay": "3s"},
            {"name": "b", "sitemaps": ["https://b.example/sitemap.xml"]},
        ],
    }
)


def test_config_values_become_scrapy_settings() -> None:
    settings = crawl_settings(CONFIG, topics=["gas"], sources=["a"])
    assert settings["USER_AGENT"] == "newswatch-test (+https://example.org/contact)"
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 7.0
    assert settings.getint("DOWNLOAD_MAXSIZE") == 100000
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 3
    assert settings.getlist("NEWSWATCH_SOURCES") == ["a"]
    assert settings.getlist("NEWSWATCH_TOPICS") == ["gas"]
    assert settings["NEWSWATCH_CONFIG"] is CONFIG
    # the per-source crawl delay lands on the source's host slot
    assert settings.getdict("DOWNLOAD_SLOTS") == {
        "a.example": {"delay": 3.0},
        "www.a.example": {"delay": 3.0},
    }
    # project defaults stay in force
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("RETRY_TIMES") == 3
    assert 429 in settings.getlist("RETRY_HTTP_CODES")
    assert "crawler.pipelines.store.StorePipeline" in settings.getdict("ITEM_PIPELINES")


def test_all_sources_when_none_chosen() -> None:
    assert crawl_settings(CONFIG).getlist("NEWSWATCH_SOURCES") == ["a", "b"]


def test_unknown_names_are_refused() -> None:
    with pytest.raises(KeyError):
        crawl_settings(CONFIG, sources=["nope"])
    with pytest.raises(KeyError):
        crawl_settings(CONFIG, topics=["nope"])


def test_summary_has_the_contract_keys() -> None:
    stats = {
        "downloader/response_count": 12,
        "crawl/articles_extracted": 7,
        "dedup/new": 3,
        "dedup/copies_merged": 2,
        "dedup/updated": 1,
        "dedup/unchanged": 1,
        "crawl/seen_skipped": 5,
        "crawl/dropped/off_topic": 2,
        "crawl/dropped/binary": 1,
        "crawl/errors/http_404": 1,
        "crawl/errors/timeout": 1,
        "hints/max_age_s": 600.0,
        "hints/listings_answered": 1,
        "finish_reason": "shutdown",
    }
    summary = summarize(stats, ["a"])
    assert summary == {
        "sources": ["a"],
        "pages_fetched": 12,
        "articles_extracted": 7,
        "stories_new": 3,
        "stories_updated": 1,
        "copies_merged": 2,
        "unchanged": 1,
        "seen_skipped": 5,
        "dropped": {"binary": 1, "off_topic": 2},
        "errors": {"http_404": 1, "timeout": 1},
        "finished_reason": "shutdown",
        "hints": {"max_age_s": 600.0, "listings_answered": 1},
    }
    text = human_summary(summary)
    assert "Crawl finished (shutdown)" in text
    assert "off_topic 2" in text and "http_404 1" in text
