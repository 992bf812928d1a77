"""The scheduler service on a hand-moved clock: schedules, overlaps, restarts, intervals."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.index.sqlite import SqliteBackend
from scheduler.control import RunRequests
from scheduler.jobstore import jobstore_url, make_engine
from scheduler.state import StateStore
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    START,
    FakeClock,
    FakeCrawl,
    Gate,
    Harness,
    clock_fixture,
    fake_fixture,
    gate_fixture,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from crawler.index.backend import IndexBackend

pytestmark = pytest.mark.timeout(120)

MIN = 60.0
SEEN = {"pages_fetched": 1, "stories_new": 0, "seen_skipped": 10}  # mostly already seen
NEW = {"pages_fetched": 10, "stories_new": 9, "seen_skipped": 1}  # mostly new


@pytest.fixture
def index(tmp_path: Path) -> Iterator[IndexBackend]:
    with SqliteBackend(tmp_path / "index.sqlite3") as backend:
        yield backend


@pytest.fixture
def harness(
    tmp_path: Path, fake: FakeCrawl, clock: FakeClock, index: IndexBackend
) -> Iterator[Harness]:
    harness = Harness(tmp_path, fake, clock, index)
    yield harness
    harness.stop()


def interval(job: Any) -> float:
    assert isinstance(job.trigger, IntervalTrigger)
    return float(job.trigger.interval_length)


def test_each_source_gets_one_job_with_its_schedule(harness: Harness) -> None:
    step = harness.start(
        {"a": {"every": "10m"}, "b": {"cron": "*/15 * * * *"}, "c": {}},
        default_every="45m",
        jitter="20s",
    )

    assert sorted(job.id for job in step.jobs()) == ["crawl:a", "crawl:b", "crawl:c"]
    a, b, c = step.job("a"), step.job("b"), step.job("c")
    assert interval(a) == 10 * MIN and a.trigger.jitter == 20
    assert isinstance(b.trigger, CronTrigger) and str(b.trigger.fields[6]) == "*/15"
    assert interval(c) == 45 * MIN
    for job in (a, b, c):
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 300)
        assert job.func_ref == "scheduler.jobs:crawl_source"
        # New sources are crawled soon, spread over the jitter; b's first turn is 12:00.
        assert START <= job.next_run_time <= START + timedelta(seconds=20)


def test_a_turn_while_the_crawl_still_runs_is_skipped_and_recorded(
    harness: Harness, gate: Gate
) -> None:
    harness.fake.plan("a", gate=str(gate.path))
    step = harness.start({"a": {"every": "10m"}})
    step.tick()
    crawl = gate.accept()
    crawl.expect("ready")

    step.advance(10 * MIN)  # the next turn: the first crawl is still going
    step.wait_still_running(1)

    crawl.release()
    step.wait_jobs(1)
    assert len(harness.fake.calls("a")) == 1
    ok, skipped = sorted(harness.runs("a"), key=lambda run: run["outcome"])
    assert ok["outcome"] == "ok" and ok["stats"]["stories_new"] == 1
    assert skipped["outcome"] == "skipped"
    assert "still going" in skipped["error"]
    assert step.service.stats["scheduler/skipped/still_running"] == 1
    record = StateStore(step.service.engine).get("a")
    assert record is not None and (record.runs, record.ok, record.skipped) == (1, 1, 1)


def test_missed_turns_after_downtime_coalesce_into_one_run(harness: Harness) -> None:
    step = harness.start({"a": {"every": "10m"}})
    step.tick()
    step.wait_jobs(1)
    harness.stop()

    harness.clock.advance(61 * MIN)  # six turns missed, the last one a minute ago
    step = harness.start({"a": {"every": "10m"}})
    step.tick()
    step.wait_jobs(1)

    assert len(harness.fake.calls("a")) == 2
    assert [run["outcome"] for run in harness.runs("a")] == ["ok", "ok"]
    # The run at 13:01 was a minute late: the next turn is a full interval after it.
    assert step.job("a").next_run_time == START + timedelta(minutes=71)


def test_a_late_turn_after_a_restart_is_not_followed_by_another_right_away(
    harness: Harness,
) -> None:
    step = harness.start({"a": {"every": "10m"}})
    step.tick()
    step.wait_jobs(1)
    harness.stop()

    harness.clock.advance(14 * MIN)  # the 12:10 turn came while stopped; 4 minutes late
    step = harness.start({"a": {"every": "10m"}})
    step.tick()
    step.wait_jobs(1)
    # Not 12:20, six minutes after the late run, but ten.
    assert step.job("a").next_run_time == START + timedelta(minutes=24)

    step.advance(6 * MIN)  # 12:20: the old time; nothing is due
    step.advance(4 * MIN)  # 12:24
    step.wait_jobs(2)

    starts = [run["started"] for run in harness.runs("a")]
    assert starts == ["2026-11-26T12:00:00Z", "2026-11-26T12:14:00Z", "2026-11-26T12:24:00Z"]
    assert len(harness.fake.calls("a")) == 3


def test_a_turn_missed_by_more_than_the_grace_time_is_skipped(harness: Harness) -> None:
    step = harness.start({"a": {"every": "10m"}})
    step.tick()
    step.wait_jobs(1)
    harness.stop()

    harness.clock.advance(67 * MIN)  # the last missed turn is 7 minutes late; grace is 5
    step = harness.start({"a": {"every": "10m"}})
    step.tick()
    step.wait_jobs(1)

    assert len(harness.fake.calls("a")) == 1
    assert [run["outcome"] for run in harness.runs("a")] == ["ok", "skipped"]
    assert "misfire grace" in harness.runs("a")[-1]["error"]
    assert step.job("a").next_run_time == START + timedelta(minutes=70)


def test_a_restart_keeps_the_schedule(harness: Harness) -> None:
    step = harness.start({"a": {"every": "10m"}, "b": {"every": "25m"}})
    step.tick()
    step.wait_jobs(2)
    before = {job.id: job.next_run_time for job in step.jobs()}
    harness.clock.advance(3 * MIN)
    harness.stop()

    step = harness.start({"a": {"every": "10m"}, "b": {"every": "25m"}})

    assert step.changes.unchanged == ["a", "b"]
    assert {job.id: job.next_run_time for job in step.jobs()} == before
    assert before == {
        "crawl:a": START + timedelta(minutes=10),
        "crawl:b": START + timedelta(minutes=25),
    }


def test_a_changed_config_adds_changes_and_removes_jobs_without_duplicates(
    harness: Harness,
) -> None:
    step = harness.start({"a": {"every": "10m"}, "b": {"every": "10m"}, "c": {"every": "10m"}})
    step.tick()
    step.wait_jobs(3)
    harness.clock.advance(2 * MIN)

    changed = {"a": {"every": "10m"}, "b": {"every": "1h"}, "d": {"cron": "0 * * * *"}}
    step = harness.start(changed)

    assert (step.changes.added, step.changes.changed, step.changes.removed) == (["d"], ["b"], ["c"])
    assert sorted(job.id for job in step.jobs()) == ["crawl:a", "crawl:b", "crawl:d"]
    assert step.job("a").next_run_time == START + timedelta(minutes=10)
    assert interval(step.job("b")) == 3600
    # A longer interval keeps the turn already planned rather than pushing it back.
    assert step.job("b").next_run_time == START + timedelta(minutes=10)
    assert step.job("d").next_run_time == START + timedelta(hours=1)  # its first "0 * * * *"

    step = harness.start(changed)  # the same config again: nothing moves
    assert step.changes.unchanged == ["a", "b", "d"]
    assert len(step.jobs()) == 3


def test_failures_back_off_and_a_success_recovers(harness: Harness) -> None:
    harness.fake.plan("a", exit=1)
    step = harness.start({"a": {"every": "10m"}}, min_every="5m", max_every="1h")
    intervals = []
    for done in range(1, 5):
        if done == 4:
            harness.fake.plan("a")  # the source is back
        step.tick()
        step.wait_jobs(done)
        job = step.job("a")
        intervals.append(interval(job))
        assert job.next_run_time == harness.clock.now() + timedelta(seconds=intervals[-1])
        harness.clock.advance(intervals[-1])

    assert intervals == [20 * MIN, 40 * MIN, 60 * MIN, 10 * MIN]  # doubled, capped, reset
    runs = harness.runs("a")
    assert [run["outcome"] for run in runs] == ["failed", "failed", "failed", "ok"]
    assert [run["failures"] for run in runs] == [1, 2, 3, 0]
    assert [run["every_s"] for run in runs] == intervals
    assert "exit code 1" in runs[0]["error"]


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (SEEN, [15 * MIN, 22.5 * MIN, 30 * MIN, 30 * MIN]),  # slower, up to the upper bound
        (NEW, [7.5 * MIN, 5.625 * MIN, 5 * MIN, 5 * MIN]),  # faster, down to the lower bound
    ],
)
def test_the_interval_adapts_to_what_runs_find_within_bounds(
    harness: Harness, summary: dict[str, int], expected: list[float]
) -> None:
    harness.fake.plan("a", summary=summary)
    step = harness.start({"a": {"every": "10m"}}, min_every="5m", max_every="30m")
    intervals = []
    for done in range(1, 5):
        step.tick()
        step.wait_jobs(done)
        intervals.append(interval(step.job("a")))
        harness.clock.advance(intervals[-1])

    assert intervals == expected
    # The adapted interval survives a restart.
    step = harness.start({"a": {"every": "10m"}}, min_every="5m", max_every="30m")
    assert step.changes.unchanged == ["a"] and interval(step.job("a")) == expected[-1]


def test_a_run_request_makes_the_source_due_at_the_control_jobs_next_turn(
    harness: Harness,
) -> None:
    step = harness.start({"a": {"every": "1h"}})
    step.tick()
    step.wait_jobs(1)
    step.control_turn(5 * MIN)
    assert step.job("a").next_run_time == START + timedelta(hours=1)

    # What `newswatch run-now` does from another process: a row in the request table.
    requests = RunRequests(make_engine(jobstore_url(harness.config)))
    request = requests.add("a", harness.clock.now())
    step.control_turn()
    step.wait_jobs(2)

    assert len(harness.fake.calls("a")) == 2
    done = requests.get(request)
    assert done is not None and done.result == "made due" and requests.pending() == []
    # The run restarts the interval: the next turn is an hour after it.
    assert step.job("a").next_run_time == START + timedelta(minutes=65, seconds=1)


def test_a_run_request_waits_for_the_sources_running_crawl(harness: Harness, gate: Gate) -> None:
    harness.fake.plan("a", gate=str(gate.path))
    step = harness.start({"a": {"every": "1h"}})
    step.tick()
    crawl = gate.accept()
    crawl.expect("ready")

    requests = RunRequests(make_engine(jobstore_url(harness.config)))
    request = requests.add("a", harness.clock.now() + timedelta(seconds=1))
    step.control_turn()
    step.control_turn()
    assert [r.id for r in requests.pending()] == [request]  # not made a skipped turn
    crawl.release()
    step.wait_jobs(1)

    harness.fake.plan("a")
    step.control_turn()  # the crawl that was running started before the request
    step.wait_jobs(2)
    assert len(harness.fake.calls("a")) == 2
    assert [run["outcome"] for run in harness.runs("a")] == ["ok", "ok"]
    assert step.service.stats["scheduler/skipped/still_running"] == 0
    assert requests.pending() == []


def test_run_requests_left_at_a_restart_are_answered_once(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    step = harness.start({"a": {"every": "1h"}})
    step.tick()
    step.wait_jobs(1)
    harness.stop()

    # As if the service had made a due and stopped before marking the request done.
    harness.clock.advance(61 * MIN)
    requests = RunRequests(make_engine(jobstore_url(harness.config)))
    for_a = requests.add("a", harness.clock.now())
    for_gone = requests.add("gone", harness.clock.now())
    step = harness.start({"a": {"every": "1h"}})
    step.tick()
    step.wait_jobs(1)  # a's 13:00 turn, late
    step.control_turn()

    assert requests.pending() == []
    answered = requests.get(for_a)
    assert answered is not None and answered.result is not None
    assert answered.result == "answered by the crawl started 2026-11-26T13:01:00Z"
    gone = requests.get(for_gone)
    assert gone is not None and gone.result is not None and "no job" in gone.result
    assert "source gone: run requested at 2026-11-26T13:01:00Z" in caplog.text
    step.control_turn()
    assert len(harness.fake.calls("a")) == 2  # one run for the turn and the request


def test_a_bad_cron_expression_names_the_source(harness: Harness) -> None:
    from crawler.config import ConfigError

    with pytest.raises(ConfigError, match=r"sources\[a\]\.cron"):
        harness.start({"a": {"cron": "every monday"}})


def test_a_job_that_raises_is_logged_counted_and_scheduled_again(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    step = harness.start({"a": {"every": "10m"}})
    # A crawl command that cannot even be started is a failed run, not an error...
    step.service.runner.command = ("/nonexistent/crawl",)
    step.tick()
    step.wait_jobs(1)
    assert [run["outcome"] for run in harness.runs("a")] == ["failed"]
    # ...but a fault in the scheduler's own bookkeeping is an error of the job.
    step.service.ledger.state.engine.dispose()
    step.service.ledger.state = None  # type: ignore[assignment]
    step.advance(20 * MIN)
    step.wait_jobs(2)

    assert step.service.stats["scheduler/errors"] == 1
    assert "job crawl:a raised AttributeError" in caplog.text
    assert step.job("a").next_run_time > harness.clock.now()  # the schedule goes on
