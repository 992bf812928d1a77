"""The crawl runner: a real subprocess per crawl, judged by its exit code and JSON summary."""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING

import pytest

from scheduler.runner import CrawlResult, CrawlRunner
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    WAIT,
    FakeClock,
    FakeCrawl,
    Gate,
    clock_fixture,
    fake_fixture,
    gate_fixture,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.timeout(60)

TIME_LIMIT = 600.0
GRACE = 30.0


def runner_for(fake: FakeCrawl, clock: FakeClock) -> CrawlRunner:
    return CrawlRunner(
        "newswatch.yaml", time_limit=TIME_LIMIT, grace=GRACE, command=fake.command, clock=clock
    )


def run_in_thread(runner: CrawlRunner, source: str) -> tuple[threading.Thread, list[CrawlResult]]:
    results: list[CrawlResult] = []
    thread = threading.Thread(target=lambda: results.append(runner.run(source)))
    thread.start()
    return thread, results


def test_a_crawl_that_ran_is_ok_with_its_summary(fake: FakeCrawl, clock: FakeClock) -> None:
    summary = {"pages_fetched": 7, "stories_new": 2, "dropped": {"off-topic": 3}, "errors": {}}
    fake.plan("nknews", summary=summary)

    result = runner_for(fake, clock).run("nknews")

    assert result.outcome == "ok", result.error
    assert result.exit_code == 0
    assert result.summary == {**summary, "finished_reason": "finished"}
    assert result.error is None and result.signals == []
    (call,) = fake.calls("nknews")
    assert call["argv"][-5:] == ["--config", "newswatch.yaml", "--source", "nknews", "--json"]


def test_a_failing_crawl_is_failed_with_its_exit_code_and_stderr(
    fake: FakeCrawl, clock: FakeClock
) -> None:
    fake.plan("nknews", exit=2, message="sources[nknews].feeds: bad URL")

    result = runner_for(fake, clock).run("nknews")

    assert result.outcome == "failed"
    assert result.exit_code == 2
    assert result.error is not None
    assert "exit code 2" in result.error and "sources[nknews].feeds: bad URL" in result.error


def test_a_crawl_without_a_summary_failed(fake: FakeCrawl, clock: FakeClock) -> None:
    fake.plan("nknews", no_summary=True)

    result = runner_for(fake, clock).run("nknews")

    assert result.outcome == "failed"
    assert result.error is not None and "no JSON summary" in result.error


def test_a_crawl_that_fetched_nothing_but_errors_failed(fake: FakeCrawl, clock: FakeClock) -> None:
    fake.plan("nknews", summary={"pages_fetched": 0, "errors": {"dns": 1}})

    result = runner_for(fake, clock).run("nknews")

    assert result.outcome == "failed"
    assert result.error is not None and "dns" in result.error


def test_a_missing_crawl_command_is_a_failed_run(clock: FakeClock, tmp_path: Path) -> None:
    runner = CrawlRunner(None, time_limit=TIME_LIMIT, command=[str(tmp_path / "nope")], clock=clock)

    result = runner.run("nknews")

    assert result.outcome == "failed"
    assert result.error is not None and "cannot start the crawl command" in result.error


def test_time_limit_sends_sigterm_then_sigkill_to_a_crawl_that_ignores_it(
    fake: FakeCrawl, clock: FakeClock, gate: Gate
) -> None:
    fake.plan("nknews", gate=str(gate.path), on_term="ignore")
    thread, results = run_in_thread(runner_for(fake, clock), "nknews")
    crawl = gate.accept()
    crawl.expect("ready")

    clock.advance(TIME_LIMIT - 1)
    assert len(clock.pending()) == 1  # only the time limit, not reached yet
    clock.advance(1)
    crawl.expect("TERM")  # asked to stop, and it carries on
    assert thread.is_alive()
    clock.advance(GRACE)  # the grace period is over: killed
    thread.join(WAIT)

    (result,) = results
    assert result.outcome == "timed_out"
    assert result.signals == ["SIGTERM", "SIGKILL"]
    assert result.exit_code == -signal.SIGKILL
    assert result.duration == TIME_LIMIT + GRACE


def test_a_crawl_stopped_at_the_time_limit_keeps_its_summary(
    fake: FakeCrawl, clock: FakeClock, gate: Gate
) -> None:
    fake.plan("nknews", gate=str(gate.path), summary={"pages_fetched": 40, "stories_new": 9})
    thread, results = run_in_thread(runner_for(fake, clock), "nknews")
    crawl = gate.accept()
    crawl.expect("ready")

    clock.advance(TIME_LIMIT)
    crawl.expect("TERM")
    thread.join(WAIT)

    (result,) = results
    assert result.outcome == "timed_out"
    assert result.signals == ["SIGTERM"]  # it stopped within the grace period
    assert result.exit_code == 0
    assert result.summary is not None and result.summary["stories_new"] == 9
    assert not clock.pending()  # the SIGKILL timer was cancelled


def test_expire_all_stops_running_crawls_now(fake: FakeCrawl, clock: FakeClock, gate: Gate) -> None:
    fake.plan("nknews", gate=str(gate.path))
    runner = runner_for(fake, clock)
    thread, results = run_in_thread(runner, "nknews")
    crawl = gate.accept()
    crawl.expect("ready")

    runner.expire_all()
    crawl.expect("TERM")
    thread.join(WAIT)

    assert results[0].outcome == "timed_out"
    assert results[0].duration == 0
