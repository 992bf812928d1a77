"""Persistent failures back off, then pause the source; an answer or an operator resumes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from crawler.index.sqlite import SqliteBackend
from scheduler.jobstore import jobstore_url, make_engine
from scheduler.pacing import resume_source
from scheduler.status import StatusFilter, collect, format_table
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    FakeClock,
    FakeCrawl,
    Harness,
    clock_fixture,
    fake_fixture,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.test_scheduler_support import Stepper

pytestmark = pytest.mark.timeout(120)

MIN = 60.0
SOURCES = {"a": {"every": "10m"}, "b": {"every": "10m"}}
BOUNDS = {"min_every": "5m", "max_every": "2h", "pause_after": 3}
MIXED = {"pages_fetched": 4, "stories_new": 1, "seen_skipped": 3}  # keeps the interval


@pytest.fixture(name="harness")
def harness_fixture(tmp_path: Path, fake: FakeCrawl, clock: FakeClock) -> Iterator[Harness]:
    """Services on the test's clock with the fake crawl, over an embedded index."""
    with SqliteBackend(tmp_path / "index.sqlite3") as backend:
        harness = Harness(tmp_path, fake, clock, backend)
        yield harness
        harness.stop()


def interval(step: Stepper, source: str) -> float:
    trigger = step.job(source).trigger
    assert isinstance(trigger, IntervalTrigger)
    return float(trigger.interval_length)


def status_of(harness: Harness, **where: Any) -> dict[str, Any]:
    engine = make_engine(jobstore_url(harness.config))
    return collect(
        harness.config, harness.backend, engine, StatusFilter(**where), now=harness.clock.now()
    )


def run_turns(harness: Harness, step: Stepper, turns: int, done: int) -> list[float]:
    """Let `a` take `turns` turns, each at its time; the intervals after each."""
    seen = []
    for n in range(turns):
        if done + n:  # a new source's first turn is now; later ones an interval on
            harness.clock.advance(interval(step, "a"))
        step.tick()
        step.wait_jobs(n + 1)
        seen.append(interval(step, "a"))
    return seen


def test_failures_back_off_then_pause_and_a_probe_that_answers_resumes(
    harness: Harness,
) -> None:
    harness.fake.plan("a", exit=1, message="connection refused")
    step = harness.start({"a": {"every": "10m"}}, **BOUNDS)
    assert run_turns(harness, step, 4, 0) == [20 * MIN, 40 * MIN, 120 * MIN, 120 * MIN]
    (row,) = status_of(harness)["sources"]
    assert row["state"] == "paused" and row["failures"] == 4
    assert row["paused"].startswith("3 consecutive failures; last: exit code 1")
    assert "connection refused" in row["paused"]
    table = format_table(status_of(harness))
    assert (
        "a: paused since 2026-11-26T13:00:00Z: 3 consecutive failures" in table
        and "sources resume" in table
    )

    # The pause survives a restart: still paused, still probed at max_every.
    step = harness.start({"a": {"every": "10m"}}, **BOUNDS)
    assert interval(step, "a") == 120 * MIN
    assert status_of(harness)["summary"]["paused"] == 1

    harness.fake.plan("a", summary=MIXED)  # the source answers again
    assert run_turns(harness, step, 1, 4) == [10 * MIN]
    (row,) = status_of(harness)["sources"]
    assert (row["state"], row["paused"], row["failures"]) == ("ok", None, 0)


def test_an_operator_resume_polls_the_source_now_and_restores_its_interval(
    harness: Harness,
) -> None:
    harness.fake.plan("a", exit=1)
    step = harness.start({"a": {"every": "10m"}}, **BOUNDS)
    run_turns(harness, step, 3, 0)
    assert status_of(harness)["sources"][0]["state"] == "paused"
    harness.fake.plan("a", summary=MIXED)
    calls = len(harness.fake.calls("a"))

    engine = make_engine(jobstore_url(harness.config))
    harness.clock.advance(1)  # a request is answered by a crawl that starts after it
    before = resume_source(engine, "a", harness.clock.now())
    assert before is not None and before.paused
    assert status_of(harness)["sources"][0]["state"] != "paused"  # at once, before the poll
    step.control_turn()  # the running service reads the request: `a` is due now
    step.wait_jobs(4)
    assert len(harness.fake.calls("a")) == calls + 1
    assert interval(step, "a") == 10 * MIN  # its own interval again, not max_every
    assert resume_source(engine, "nope", harness.clock.now()) is None


def test_status_filters_by_state_and_name_and_pages(harness: Harness) -> None:
    harness.fake.plan("b", exit=1)
    sources = {f"{name}-{n}": {"every": "10m"} for name in ("bbc", "cnn") for n in range(3)}
    harness.fake.plan("cnn-1", exit=1)
    step = harness.start({**sources, **SOURCES}, **BOUNDS)
    step.tick()
    step.wait_jobs(8)
    status = status_of(harness)
    assert status["summary"] == {
        "total": 8, "ok": 6, "failing": 2, "paused": 0, "overdue": 0, "new": 0,
    }  # fmt: skip
    assert [r["source"] for r in status_of(harness, states=frozenset({"failing"}))["sources"]] == [
        "cnn-1",
        "b",
    ]
    page = status_of(harness, source="bbc-*", limit=2, offset=1)
    assert page["matched"] == 3 and [r["source"] for r in page["sources"]] == ["bbc-1", "bbc-2"]
    assert page["summary"]["total"] == 8  # the summary counts every source
    # A turn a minute late that has not started: overdue (the service is stopped).
    harness.stop()
    harness.clock.advance(12 * MIN)
    assert status_of(harness)["summary"]["overdue"] == 6


def test_a_state_table_from_the_previous_release_gets_the_new_columns(tmp_path: Path) -> None:
    from sqlalchemy import text

    from scheduler.state import StateStore

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as conn:  # the table as the previous release created it
        conn.execute(
            text(
                "CREATE TABLE newswatch_source_state (source VARCHAR(191) PRIMARY KEY, "
                "base FLOAT NOT NULL, every FLOAT NOT NULL, failures INTEGER NOT NULL, "
                "runs INTEGER NOT NULL, ok INTEGER NOT NULL, failed INTEGER NOT NULL, "
                "timed_out INTEGER NOT NULL, skipped INTEGER NOT NULL, "
                "stories_new INTEGER NOT NULL)"
            )
        )
        conn.execute(
            text("INSERT INTO newswatch_source_state VALUES ('a', 600, 900, 2, 5, 3, 2, 0, 0, 7)")
        )
    record = StateStore(engine).get("a")
    assert record is not None
    assert (record.every, record.failures, record.stories_new) == (900, 2, 7)
    assert (record.paused, record.http_floor, record.last_started) == (None, 0.0, None)
    StateStore(engine)  # a second start finds nothing to add
