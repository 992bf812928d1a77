"""Shared parts of the scheduler tests: a hand-moved clock, a stepped service, a fake crawl.

The fake crawl is a real subprocess (a small script) that prints a JSON summary,
fails or hangs on demand, so the runner's process handling is tested for real.
A `Gate` (a Unix socket) lets a test hold a fake crawl mid-run and see the
signals it gets, without sleeping.
"""

from __future__ import annotations

import json
import queue
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    EVENT_SCHEDULER_STARTED,
)
from apscheduler.schedulers.base import STATE_PAUSED

from crawler.cli import main
from crawler.config.schema import Config
from scheduler.control import CONTROL
from scheduler.jobstore import source_of
from scheduler.runner import CrawlRunner
from scheduler.service import SchedulerService

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from crawler.index.backend import IndexBackend

START = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
WAIT = 30.0  # seconds: a safety net for waits on events, never expected to pass


@dataclass
class FakeTimer:
    due: datetime
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


class FakeClock:
    """Time that moves only when the test says; due timers fire in `advance()`."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._timers: list[FakeTimer] = []
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def call_later(self, delay: float, callback: Callable[[], None]) -> FakeTimer:
        with self._lock:
            timer = FakeTimer(self._now + timedelta(seconds=delay), callback)
            self._timers.append(timer)
            return timer

    def pending(self) -> list[FakeTimer]:
        with self._lock:
            return [t for t in self._timers if not t.cancelled]

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
        while True:
            with self._lock:
                due = [t for t in self._timers if not t.cancelled and t.due <= self._now]
                self._timers = [t for t in self._timers if t not in due]
            if not due:
                return
            for timer in due:
                timer.callback()

    def patch_apscheduler(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make APScheduler read this clock, as its own 3.x tests freeze time."""
        FakeDatetime.clock = self
        for module in ("schedulers.base", "executors.base", "triggers.interval", "triggers.date"):
            monkeypatch.setattr(f"apscheduler.{module}.datetime", FakeDatetime)


class FakeDatetime(datetime):
    clock: FakeClock | None = None

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        assert cls.clock is not None
        moment = cls.clock.now()
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    @classmethod
    def fromtimestamp(cls, t: float, tz: Any = None) -> datetime:  # type: ignore[override]
        return datetime.fromtimestamp(t, tz)  # a plain datetime: job states get pickled


FAKE_CRAWL = textwrap.dedent(
    '''
    """Fake `newswatch crawl`: behaves as the plan file says for its --source."""
    import json, signal, socket, sys

    args = sys.argv[1:]
    source = args[args.index("--source") + 1]
    plans = json.load(open(args[args.index("--plan") + 1]))
    plan = plans.get(source, {})
    with open(plans["_calls"], "a") as calls:
        calls.write(json.dumps({"source": source, "argv": args}) + "\\n")
    summary = plan.get("summary", {"pages_fetched": 3, "stories_new": 1, "seen_skipped": 2})
    gate = None
    if plan.get("gate"):
        gate = socket.socket(socket.AF_UNIX)
        gate.connect(plan["gate"])

    def on_term(signum, frame):
        if gate:
            gate.sendall(b"TERM\\n")
        if plan.get("on_term") == "ignore":
            return
        print(json.dumps({**summary, "finished_reason": "shutdown"}), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_term)
    print("fake crawl of", source, "starting", file=sys.stderr, flush=True)
    print("a line that is not the summary", flush=True)
    if gate:
        gate.sendall(b"ready\\n")
        gate.recv(16)  # until the test lets go
    if plan.get("exit"):
        print("fake crawl failed:", plan.get("message", "boom"), file=sys.stderr)
        sys.exit(plan["exit"])
    if not plan.get("no_summary"):
        print(json.dumps({**summary, "finished_reason": "finished"}))
    '''
)


class Gate:
    """A Unix socket a fake crawl connects to: it says "ready", waits for "go", reports TERM."""

    def __init__(self) -> None:
        # A short directory: Unix socket paths are limited to about 100 bytes.
        self.path = Path(tempfile.mkdtemp(prefix="nwgate")) / "gate.sock"
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(str(self.path))
        self.server.listen(8)
        self.server.settimeout(WAIT)

    def accept(self) -> GateConnection:
        conn, _ = self.server.accept()
        conn.settimeout(WAIT)
        return GateConnection(conn.makefile("rwb"), conn)

    def close(self) -> None:
        self.server.close()
        self.path.unlink(missing_ok=True)
        self.path.parent.rmdir()


@dataclass
class GateConnection:
    stream: Any
    conn: socket.socket

    def expect(self, word: str) -> None:
        line = self.stream.readline().decode().strip()
        assert line == word, f"the fake crawl said {line!r}, expected {word!r}"

    def release(self) -> None:
        self.conn.sendall(b"go\n")
        self.conn.close()


@dataclass
class FakeCrawl:
    """The fake crawl script, its per-source plan and the log of its invocations."""

    directory: Path
    plans: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.script = self.directory / "fake_crawl.py"
        self.script.write_text(FAKE_CRAWL)
        self.plan_file = self.directory / "plan.json"
        self.calls_file = self.directory / "calls.jsonl"
        self.calls_file.touch()
        self.write()

    @property
    def command(self) -> list[str]:
        return [sys.executable, str(self.script), "--plan", str(self.plan_file)]

    def plan(self, source: str, **behaviour: Any) -> None:
        self.plans[source] = behaviour
        self.write()

    def write(self) -> None:
        self.plan_file.write_text(json.dumps({**self.plans, "_calls": str(self.calls_file)}))

    def calls(self, source: str | None = None) -> list[dict[str, Any]]:
        lines = self.calls_file.read_text().splitlines()
        calls = [json.loads(line) for line in lines]
        return [c for c in calls if source is None or c["source"] == source]


def make_config(tmp_path: Path, sources: dict[str, dict[str, Any]], **scheduler: Any) -> Config:
    """A config whose sources (never fetched: the crawl is fake) have the given schedules."""
    return Config.model_validate(
        {
            "state_dir": str(tmp_path / "state"),
            "index": {"embedded": {"path": str(tmp_path / "index.sqlite3")}},
            "crawl": {"time_limit": "10m"},
            "scheduler": {"jitter": 0, "misfire_grace": "5m", **scheduler},
            "topics": [{"name": "dprk", "query": '"North Korea"'}],
            "sources": [
                {"name": name, "feeds": [f"http://127.0.0.1:9/{name}.xml"], **options}
                for name, options in sources.items()
            ],
        }
    )


class Stepper:
    """A service whose real scheduler loop runs in a thread, on the test's clock.

    It starts paused, so the jobs can be looked at as reconciled; `tick()` is a
    wakeup (the first one resumes), as when a job's time comes. The counts are of
    source jobs only (not the control job), as the scheduler's events report them.
    """

    def __init__(
        self,
        config: Config,
        runner: CrawlRunner,
        backend: IndexBackend,
        clock: FakeClock,
    ) -> None:
        self.clock = clock
        self.service = SchedulerService(config, runner, backend, clock=clock)
        self.scheduler = self.service.scheduler
        self.counts: Counter[str] = Counter()
        self.control_turns: list[datetime] = []  # when each control turn was due
        self._cond = threading.Condition()
        # Added after the service's listeners: a count seen here was handled there.
        self.scheduler.add_listener(
            self._count,
            EVENT_JOB_SUBMITTED
            | EVENT_JOB_MAX_INSTANCES
            | EVENT_JOB_EXECUTED
            | EVENT_JOB_ERROR
            | EVENT_JOB_MISSED,
        )
        started = threading.Event()
        self.scheduler.add_listener(lambda event: started.set(), EVENT_SCHEDULER_STARTED)
        self.changes = self.service.start()
        self.thread = threading.Thread(
            target=self.scheduler.start, kwargs={"paused": True}, daemon=True
        )
        self.thread.start()
        assert started.wait(WAIT), "the scheduler did not start"

    def _count(self, event: Any) -> None:
        if event.job_id == CONTROL and event.code in (EVENT_JOB_EXECUTED, EVENT_JOB_ERROR):
            with self._cond:
                self.control_turns.append(event.scheduled_run_time)
                self._cond.notify_all()
        if source_of(event.job_id) is None:
            return
        with self._cond:
            if event.code == EVENT_JOB_SUBMITTED:
                self.counts["submitted"] += 1
            elif event.code == EVENT_JOB_MAX_INSTANCES:
                self.counts["still_running"] += 1
            else:
                self.counts["ended"] += 1
            self._cond.notify_all()

    def tick(self) -> None:
        if self.scheduler.state == STATE_PAUSED:
            self.scheduler.resume()
        else:
            self.scheduler.wakeup()

    def advance(self, seconds: float) -> None:
        """Move the clock, then wake the scheduler up."""
        self.clock.advance(seconds)
        self.tick()

    def control_turn(self, seconds: float | None = None) -> None:
        """Move the clock (to the control job's next turn) and wait until that turn has run."""
        before = self.clock.now()
        self.advance(self.service.poll_interval if seconds is None else seconds)
        self._wait(lambda: any(turn > before for turn in self.control_turns))

    def wait_jobs(self, count: int) -> None:
        """Wait until `count` source job turns in all were handed out and ended."""
        self._wait(lambda: self.counts["submitted"] >= count and self.counts["ended"] >= count)

    def wait_still_running(self, count: int) -> None:
        """Wait until `count` turns in all found the source's previous run still going."""
        self._wait(lambda: self.counts["still_running"] >= count)

    def _wait(self, done: Callable[[], bool]) -> None:
        with self._cond:
            assert self._cond.wait_for(done, WAIT), f"jobs did not end: {self.counts}"

    def job(self, source: str) -> Any:
        return self.scheduler.get_job(f"crawl:{source}")

    def jobs(self) -> list[Any]:
        """The sources' jobs (not the service's control job)."""
        return self.scheduler.get_jobs(jobstore="default")

    def stop(self) -> None:
        self.service.finish()
        self.thread.join(WAIT)
        assert not self.thread.is_alive(), "the scheduler loop did not end"


class Harness:
    """Starts services (one at a time, like restarts) on one state directory."""

    def __init__(self, tmp_path: Path, fake: FakeCrawl, clock: FakeClock, backend: IndexBackend):
        self.tmp_path, self.fake, self.clock, self.backend = tmp_path, fake, clock, backend
        self.current: Stepper | None = None

    def start(self, sources: dict[str, dict[str, Any]], **scheduler: Any) -> Stepper:
        self.stop()
        self.config = make_config(self.tmp_path, sources, **scheduler)
        runner = CrawlRunner(
            None, time_limit=7200, grace=30, command=self.fake.command, clock=self.clock
        )
        self.current = Stepper(self.config, runner, self.backend, self.clock)
        return self.current

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()
            self.current = None

    def runs(self, source: str) -> list[dict[str, Any]]:
        return list(reversed(self.backend.list_runs(source, limit=100)))


class Service:
    """`newswatch schedule` as a subprocess; its log lines arrive on a queue."""

    def __init__(self, config_file: Path, fake: FakeCrawl | None = None) -> None:
        argv = [sys.executable, "-m", "crawler", "schedule", "--config", str(config_file)]
        argv += ["--poll", "0.2"]
        if fake is not None:
            argv += ["--crawl-command", shlex.join(fake.command)]
        self.process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        while True:
            line = self.lines.get(timeout=WAIT)
            self.log.append(line)
            if text in line:
                return line

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(WAIT)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def status(capsys: pytest.CaptureFixture[str], config_file: Path) -> dict[str, Any]:
    code, out, _ = cli(capsys, "status", "--config", str(config_file), "--json")
    assert code == 0
    return dict(json.loads(out))


# Fixtures, imported by the test modules that use them.
@pytest.fixture(name="clock")
def clock_fixture(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    clock.patch_apscheduler(monkeypatch)
    return clock


@pytest.fixture(name="fake")
def fake_fixture(tmp_path: Path) -> FakeCrawl:
    (tmp_path / "fake").mkdir()
    return FakeCrawl(tmp_path / "fake")


@pytest.fixture(name="gate")
def gate_fixture() -> Iterator[Gate]:
    gate = Gate()
    yield gate
    gate.close()
