"""The service's log at scale: a line per poll that found something, a tally for the rest."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from scheduler.crawllog import CrawlLog, PollTally, poll_level
from scheduler.runner import CrawlResult
from tests.test_scheduler_pause import harness_fixture  # noqa: F401 (a fixture)
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    START,
    Harness,
    clock_fixture,
    fake_fixture,
)

pytestmark = pytest.mark.timeout(120)

NOTHING = {"pages_fetched": 1, "stories_new": 0, "seen_skipped": 10}
NEWS = {"pages_fetched": 5, "stories_new": 2, "seen_skipped": 3}


def result(outcome: str, summary: dict[str, int] | None) -> CrawlResult:
    return CrawlResult("a", START, START, outcome, summary=summary)


def test_a_relayed_line_loses_the_crawls_own_time_and_level() -> None:
    log = CrawlLog()
    level, text = log.relay(
        "2026-12-04 19:15:34,470 WARNING scrapy.core.scraper: Error downloading"
    )
    assert (level, text) == (logging.WARNING, "scrapy.core.scraper: Error downloading")
    assert log.relay("Traceback (most recent call last):") == (
        logging.WARNING,
        "Traceback (most recent call last):",
    )


def test_only_news_requests_and_first_failures_are_above_debug() -> None:
    assert poll_level(result("ok", NEWS), 0, requested=False) == logging.INFO
    assert poll_level(result("ok", NOTHING), 0, requested=False) == logging.DEBUG
    assert poll_level(result("ok", NOTHING), 0, requested=True) == logging.INFO
    assert poll_level(result("failed", None), 1, requested=False) == logging.WARNING
    assert poll_level(result("failed", None), 2, requested=False) == logging.DEBUG


def test_the_tally_counts_polls_and_speaks_every_five_minutes() -> None:
    tally = PollTally(START)
    for outcome, summary in [("ok", NEWS), ("ok", NOTHING), ("ok", NOTHING), ("failed", None)]:
        tally.add(result(outcome, summary))
    assert tally.line_due(START + timedelta(minutes=4)) is None
    assert tally.line_due(START + timedelta(minutes=5)) == (
        "4 polls in the last 5 min: 1 found news, 2 unchanged, 1 failed"
    )
    assert tally.line_due(START + timedelta(minutes=11)) is None  # nothing polled since


def test_the_service_logs_news_at_info_and_quiet_polls_at_debug(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    harness.fake.plan("news", summary=NEWS)
    harness.fake.plan("quiet", summary=NOTHING)
    harness.fake.plan("down", exit=1)
    sources = {name: {"every": "10m"} for name in ("news", "quiet", "down")}
    step = harness.start(sources, min_every="10m", max_every="10m")
    for turn in range(2):
        step.tick()
        step.wait_jobs(3 * (turn + 1))
        harness.clock.advance(10 * 60)

    def finished(level: int) -> list[str]:
        return sorted(
            r.getMessage().split(":")[0]
            for r in caplog.records
            if r.levelno == level and "run finished" in r.getMessage()
        )

    assert finished(logging.INFO) == ["source news", "source news"]
    assert finished(logging.WARNING) == ["source down"]  # its first failure only
    assert finished(logging.DEBUG) == ["source down", "source quiet", "source quiet"]
    tallies = [r.getMessage() for r in caplog.records if "polls in the last" in r.getMessage()]
    # Due with the first poll to end ten minutes on: the first turn's three and that one.
    (tally,) = tallies
    assert tally.startswith("4 polls in the last 10 min: ")
    counts = [int(part.split()[0]) for part in tally.split(": ")[1].split(", ")]
    assert sum(counts) == 4 and min(counts) >= 1
    started = [r.levelno for r in caplog.records if "crawl started" in r.getMessage()]
    assert started == [logging.DEBUG] * 6  # the scheduler's log: the crawl's INFO is DEBUG
