"""Run history on both backends, and `newswatch status` built from it and the job store."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from scheduler.jobstore import jobstore_url, make_engine
from scheduler.status import collect, format_table, human_seconds
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    START,
    FakeClock,
    FakeCrawl,
    Harness,
    clock_fixture,
    fake_fixture,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from crawler.index.backend import IndexBackend

pytestmark = pytest.mark.timeout(120)

SUMMARY = {
    "sources": ["a"],
    "pages_fetched": 12,
    "articles_extracted": 8,
    "stories_new": 5,
    "stories_updated": 1,
    "copies_merged": 2,
    "unchanged": 0,
    "seen_skipped": 4,
    "dropped": {"off-topic": 3, "too-short": 1},
    "errors": {"http/404": 1},
}


@pytest.fixture
def harness(
    tmp_path: Path, clock: FakeClock, fake: FakeCrawl, backend: IndexBackend
) -> Iterator[Harness]:
    harness = Harness(tmp_path, fake, clock, backend)
    yield harness
    harness.stop()


def test_every_run_is_recorded_with_its_stats(harness: Harness, backend: IndexBackend) -> None:
    harness.fake.plan("a", summary=SUMMARY)
    harness.fake.plan("b", exit=3, message="feed unreachable")
    step = harness.start({"a": {"every": "10m"}, "b": {"every": "10m"}})
    step.tick()
    step.wait_jobs(2)
    backend.flush()

    (ok,) = backend.list_runs("a")
    assert ok["outcome"] == "ok" and ok["source"] == "a"
    assert ok["started"] == "2026-11-26T12:00:00Z" and ok["ended"] == ok["started"]
    assert ok["duration_s"] == 0.0  # by the test's clock
    assert ok["stats"] == {k: v for k, v in SUMMARY.items() if k != "sources"} | {
        "finished_reason": "finished"
    }
    assert ok["error"] is None
    (failed,) = backend.list_runs("b")
    assert failed["outcome"] == "failed"
    assert "exit code 3" in failed["error"] and "feed unreachable" in failed["error"]
    assert {run["source"] for run in backend.list_runs()} == {"a", "b"}


@pytest.mark.parametrize("backend_store", ["embedded"], indirect=True)
def test_status_shows_last_run_next_run_interval_and_totals(
    harness: Harness, backend: IndexBackend
) -> None:
    harness.fake.plan("a", summary=SUMMARY)
    harness.fake.plan("b", exit=1)
    step = harness.start(
        {"a": {"every": "10m"}, "b": {"every": "10m"}, "c": {"cron": "0 6 * * *"}},
        max_every="1h",
    )
    step.tick()
    step.wait_jobs(2)  # a and b; the cron source c waits for 06:00
    harness.clock.advance(10 * 60)
    step.tick()
    step.wait_jobs(3)

    step.service.ledger.skip("a", harness.clock.now(), "the previous run was still going")
    engine = make_engine(jobstore_url(harness.config))
    status = collect(harness.config, backend, engine, now=harness.clock.now())

    assert status["scheduler"] == {"running": False, "pid": None}
    a, b, c = status["sources"]
    # The last crawl, not the skipped turn after it.
    assert a["last_run"] == "2026-11-26T12:10:00Z" and a["outcome"] == "ok"
    # Mostly new stories: 10m x 0.75 x 0.75, the second run at 12:10.
    assert a["every_s"] == 337.5 and a["next_run"] == "2026-11-26T12:15:37Z"
    assert (a["runs"], a["ok"], a["stories_new"]) == (2, 2, 10)
    assert b["outcome"] == "failed" and b["failures"] == 1 and b["every_s"] == 1200
    assert b["next_run"] == (START + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert c["cron"] == "0 6 * * *" and c["every_s"] is None and c["next_run"]
    table = format_table(status).splitlines()
    assert table[0] == "scheduler: not running"
    # Summary first: a ok, b failed, the cron source c has not run yet.
    assert table[1] == "sources: 3 (ok 1, failing 1, paused 0, overdue 0, new 1)"
    assert table[2].split() == [
        "SOURCE", "STATE", "LAST", "RUN", "OUTCOME", "NEXT", "RUN", "EVERY", "FAILS", "RUNS",
        "OK", "FAILED", "TIMED", "OUT", "SKIPPED", "NEW",
    ]  # fmt: skip
    assert table[3].split() == [
        "a", "ok", "2026-11-26T12:10:00Z", "ok", "2026-11-26T12:15:37Z", "5m38s", "0", "2", "2",
        "0", "0", "1", "10",
    ]  # fmt: skip
    assert "cron 0 6 * * *" in table[5]
    assert table[6] == "listed 1-3 of 3 matching"


def test_intervals_read_as_durations() -> None:
    assert [human_seconds(s) for s in (5, 90, 600, 5400, 172800, 337.5)] == [
        "5s", "1m30s", "10m", "1h30m", "2d", "5m38s",
    ]  # fmt: skip
