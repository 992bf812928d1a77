"""The periodic progress line of a running crawl."""

from __future__ import annotations

import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions.progress import ProgressLog


def test_progress_line_names_pages_kept_stories_and_drops(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(Spider, {"PROGRESS_LOG_INTERVAL": 5})
    extension = ProgressLog.from_crawler(crawler)
    stats = crawler.stats
    stats.set_value("downloader/response_count", 40)
    stats.set_value("crawl/articles_extracted", 30)
    stats.set_value("dedup/new", 12)
    stats.set_value("dedup/copies_merged", 8)
    stats.set_value("crawl/dropped/off_topic", 9)
    stats.set_value("crawl/errors/timeout", 1)
    with caplog.at_level(logging.INFO, logger="crawler.extensions.progress"):
        extension.log()
    line = caplog.records[-1].getMessage()
    assert "40 pages fetched" in line
    assert "30 articles extracted" in line
    assert "20 stories kept" in line
    assert "off_topic 9" in line and "timeout 1" in line


def test_progress_log_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        ProgressLog.from_crawler(get_crawler(Spider, {"PROGRESS_LOG_ENABLED": False}))
