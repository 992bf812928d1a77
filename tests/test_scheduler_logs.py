"""The service's log: one summary line per crawl; Scrapy's dumps only at DEBUG."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
import yaml

from crawler.config import load_config
from crawler.index import make_backend
from scheduler.crawllog import CrawlLog
from scheduler.runner import CrawlRunner
from tests.fixtures.newsweb import world_config
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    FakeClock,
    Stepper,
    clock_fixture,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.harness.newsweb.client import NewsWeb

pytestmark = pytest.mark.timeout(300)

DUMPS = (
    "Overridden settings:",
    "Enabled extensions:",
    "Enabled downloader middlewares:",
    "Dumping Scrapy stats:",
    "'downloader/response_count':",  # a line inside the stats dump
)


def counts(group: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(group.items())) or "none"


def test_a_crawl_is_one_summary_line_and_scrapys_dumps_are_debug(
    newsweb_fresh: NewsWeb, tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = world_config(newsweb_fresh, tmp_path, sources=["wire"])
    raw = yaml.safe_load(config_file.read_text())
    raw["scheduler"] = {"jitter": 0}  # a new source is due at once
    config_file.write_text(yaml.safe_dump(raw))
    config = load_config(config_file)
    caplog.set_level(logging.DEBUG)
    runner = CrawlRunner(config_file, time_limit=600, clock=clock)
    with make_backend(config) as backend:
        step = Stepper(config, runner, backend, clock)
        try:
            step.tick()
            step.wait_jobs(1)
        finally:
            step.stop()
        (run,) = backend.list_runs("wire")

    stats = run["stats"]
    assert run["outcome"] == "ok" and stats["pages_fetched"] > 0 and stats["stories_new"] > 0
    shown = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    finished = [line for line in shown if line.startswith("source wire: run finished:")]
    assert finished == [
        f"source wire: run finished: ok in 0.0s: {stats['pages_fetched']} pages, "
        f"{stats['articles_extracted']} articles, stories {stats['stories_new']} new, "
        f"{stats['copies_merged']} merged, {stats['stories_updated']} updated, "
        f"{stats['seen_skipped']} already seen; dropped {counts(stats['dropped'])}; "
        f"errors {counts(stats['errors'])}"
    ]
    assert stats["dropped"]  # the mock web has off-topic pages: the line lists them
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    for dump in DUMPS:
        assert not any(dump in line for line in shown), dump
        assert any(line.startswith("[crawl wire]") and dump in line for line in debug), dump


@pytest.mark.parametrize(
    ("lines", "levels"),
    [
        # Scrapy's INFO record and the lines that continue it: DEBUG.
        (
            [
                "2026-12-04 19:15:33,468 INFO scrapy.crawler: Overridden settings:",
                "{'BOT_NAME': 'newswatch',",
                " 'LOG_LEVEL': 'INFO'}",
            ],
            ["DEBUG", "DEBUG", "DEBUG"],
        ),
        # The crawl's own records keep their level; so do Scrapy's warnings.
        (
            [
                "2026-12-04 19:15:34,460 INFO crawler.extensions.progress: 20 pages fetched",
                "2026-12-04 19:15:34,470 WARNING scrapy.core.scraper: Error downloading",
                "2026-12-04 19:15:34,480 ERROR crawler.pipelines.store: http://x/a: bad item",
                "Traceback (most recent call last):",
            ],
            ["INFO", "WARNING", "ERROR", "ERROR"],
        ),
        # Output before any record (an interpreter that died early) is worth a look.
        (["Traceback (most recent call last):"], ["WARNING"]),
    ],
)
def test_each_crawl_line_is_relayed_at_its_records_level(
    lines: list[str], levels: list[str]
) -> None:
    log = CrawlLog()
    assert [logging.getLevelName(log.level_of(line)) for line in lines] == levels
