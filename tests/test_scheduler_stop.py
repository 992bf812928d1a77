"""Graceful stop: SIGTERM/SIGINT start no new run and let the running crawl finish."""

from __future__ import annotations

import os
import signal
import threading
from typing import TYPE_CHECKING

import pytest
from apscheduler.events import EVENT_SCHEDULER_SHUTDOWN

from crawler.index.sqlite import SqliteBackend
from scheduler.jobstore import jobstore_url, make_engine, next_run_times
from scheduler.lock import AlreadyRunning, ServiceLock, running_pid
from scheduler.runner import CrawlRunner
from scheduler.service import SchedulerService, stop_on_signals
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    WAIT,
    FakeClock,
    FakeCrawl,
    Gate,
    GateConnection,
    clock_fixture,
    gate_fixture,
    make_config,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.timeout(120)


class Running:
    """`service.run()` (the real BlockingScheduler loop) in a thread, stopped by signals."""

    def __init__(
        self, tmp_path: Path, clock: FakeClock, gate: Gate, stop_wait: float | None = None
    ) -> None:
        (tmp_path / "fake").mkdir()
        self.fake = FakeCrawl(tmp_path / "fake")
        self.fake.plan("a", gate=str(gate.path))
        self.config = make_config(tmp_path, {"a": {"every": "10m"}})
        self.index = SqliteBackend(tmp_path / "index.sqlite3")
        self.index.open()
        runner = CrawlRunner(
            None, time_limit=7200, grace=30, command=self.fake.command, clock=clock
        )
        self.service = SchedulerService(
            self.config, runner, self.index, clock=clock, stop_wait=stop_wait
        )
        # Set after the service's own shutdown listener (registered first) has run.
        self.shut_down = threading.Event()
        self.service.scheduler.add_listener(
            lambda event: self.shut_down.set(), EVENT_SCHEDULER_SHUTDOWN
        )
        self.thread = threading.Thread(target=self.service.run)
        self.gate = gate
        self.clock = clock

    def start_crawling(self) -> GateConnection:
        """Start the service; its new source is crawled at once and held at the gate."""
        self.thread.start()
        crawl = self.gate.accept()
        crawl.expect("ready")
        return crawl

    def stop(self, signum: int = signal.SIGTERM) -> None:
        self.signal(signum)
        assert self.shut_down.wait(WAIT)

    def signal(self, signum: int) -> None:
        os.kill(os.getpid(), signum)  # the handler runs in this, the main, thread
        # The control job's next turn acts on it.
        self.clock.advance(self.service.poll_interval)
        self.service.scheduler.wakeup()


@pytest.fixture
def running(
    tmp_path: Path, clock: FakeClock, gate: Gate, request: pytest.FixtureRequest
) -> Iterator[Running]:
    running = Running(tmp_path, clock, gate, getattr(request, "param", None))
    with stop_on_signals(running.service):
        yield running
        running.thread.join(WAIT)
    running.index.close()


def test_sigterm_lets_the_running_crawl_finish_and_starts_nothing_new(
    running: Running, clock: FakeClock
) -> None:
    crawl = running.start_crawling()
    assert running_pid(running.config.state_dir) == os.getpid()

    running.stop(signal.SIGTERM)
    clock.advance(10 * 60)  # the next turn comes while the crawl still runs
    assert running.thread.is_alive()  # waiting for the crawl, which was not stopped

    crawl.release()
    running.thread.join(WAIT)

    assert not running.thread.is_alive()
    (run,) = running.index.list_runs("a")
    assert (run["outcome"], run["signals"]) == ("ok", [])
    assert len(running.fake.calls("a")) == 1
    assert running_pid(running.config.state_dir) is None
    # The schedule stays in the store for the next start.
    engine = make_engine(jobstore_url(running.config))
    assert set(next_run_times(engine)) == {"a"}


def test_a_second_signal_stops_the_running_crawl(running: Running) -> None:
    crawl = running.start_crawling()
    running.stop(signal.SIGINT)
    running.signal(signal.SIGINT)
    crawl.expect("TERM")  # the crawl is told to stop, and stops cleanly
    running.thread.join(WAIT)

    assert not running.thread.is_alive()
    (run,) = running.index.list_runs("a")
    assert run["outcome"] == "timed_out"
    assert run["stats"]["finished_reason"] == "shutdown"


@pytest.mark.parametrize("running", [90.0], indirect=True)
def test_a_stop_wait_stops_the_running_crawl_in_time(running: Running, clock: FakeClock) -> None:
    crawl = running.start_crawling()
    running.stop(signal.SIGTERM)
    clock.advance(89)
    assert running.thread.is_alive()
    clock.advance(1)  # the stop wait is over, long before the crawl's time limit
    crawl.expect("TERM")
    running.thread.join(WAIT)

    (run,) = running.index.list_runs("a")
    assert run["outcome"] == "timed_out" and run["stats"]["finished_reason"] == "shutdown"


def test_one_service_per_state_directory(tmp_path: Path) -> None:
    with ServiceLock(tmp_path), pytest.raises(AlreadyRunning, match=str(os.getpid())):
        ServiceLock(tmp_path).acquire()
    assert running_pid(tmp_path) is None
