"""Run one crawl: as a poll in the long-running crawl engine (EngineRunner, the default),
or as a subprocess of its own under a time limit (CrawlRunner, the fallback).

EngineRunner hands every crawl to one supervised `newswatch engine` child
(crawler/engine), shared by the service's threads. CrawlRunner starts a fresh
`newswatch crawl` process per crawl (`crawl.engine.mode: process`): SIGTERM at
the time limit, a grace period, then SIGKILL. Either child runs in its own
session, so a Ctrl-C meant for the scheduler does not reach it: the scheduler
decides when a crawl is stopped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from crawler.crawl.summary import CrawlSummary, read_summary
from crawler.engine.child import INFO_LOGGERS
from crawler.engine.client import ENGINE_COMMAND, EngineClient
from crawler.engine.poll import PollRequest
from scheduler.clock import SystemClock
from scheduler.crawllog import RECORD, CrawlLog

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from scheduler.clock import Clock, Timer

logger = logging.getLogger(__name__)

__all__ = ["ENGINE_COMMAND", "CrawlResult", "CrawlRunner", "EngineRunner", "Runner"]

#: `newswatch crawl` in the same interpreter; it prints a JSON summary last with --json.
DEFAULT_COMMAND: tuple[str, ...] = (sys.executable, "-m", "crawler", "crawl")
STDERR_TAIL_LINES = 20
#: How a crawl went, as run history records it; queue mode also records an attempt
#: whose worker died ("killed") and a job the broker lost and sent again ("lost").
RunOutcome = Literal["ok", "failed", "timed_out", "lost", "killed"]
#: Times a poll the engine lost (it died or recycled with the poll in flight) is run.
ENGINE_ATTEMPTS = 3


@dataclass
class CrawlResult:
    """How one crawl process went."""

    source: str
    started: datetime
    ended: datetime
    outcome: RunOutcome
    exit_code: int | None = None
    summary: CrawlSummary | None = None
    error: str | None = None
    signals: list[str] = field(default_factory=list)  # what the runner had to send
    worker: str | None = None  # queue mode: the worker that ran it
    dispatch: dict[str, Any] | None = None  # queue mode: job id, time queued, lock wait

    @property
    def duration(self) -> float:
        return (self.ended - self.started).total_seconds()


class Runner(Protocol):
    """What the service needs to run a crawl: here (CrawlRunner) or on a worker (QueueRunner)."""

    def run(self, source: str) -> CrawlResult: ...

    def expire_all(self) -> None: ...


class RunSkipped(Exception):
    """The run could not be started (queue mode: the broker is down); the turn is skipped."""


class _Running:
    """One live crawl process and its time-limit escalation."""

    def __init__(self, process: subprocess.Popen[str], grace: float, clock: Clock) -> None:
        self.process = process
        self.grace = grace
        self.clock = clock
        self.expired = False
        self.signals: list[str] = []
        self._timers: list[Timer] = []
        self._lock = threading.Lock()

    def schedule(self, delay: float) -> None:
        with self._lock:
            self._timers.append(self.clock.call_later(delay, self.expire))

    def expire(self) -> None:
        """The time is up: ask the crawl to stop (Scrapy shuts down cleanly on SIGTERM)."""
        with self._lock:
            if self.expired or self.process.poll() is not None:
                return
            self.expired = True
            self._signal(signal.SIGTERM)
            self._timers.append(self.clock.call_later(self.grace, self.kill))

    def kill(self) -> None:
        with self._lock:
            if self.process.poll() is None:
                self._signal(signal.SIGKILL)

    def finish(self) -> None:
        with self._lock:
            for timer in self._timers:
                timer.cancel()

    def _signal(self, signum: signal.Signals) -> None:
        self.signals.append(signum.name)
        logger.warning("crawl pid %s: sending %s", self.process.pid, signum.name)
        # The crawl leads its own process group: stop whatever it started too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)


class CrawlRunner:
    """Starts `command --config FILE --source NAME --json` and judges the outcome."""

    def __init__(
        self,
        config_path: str | os.PathLike[str] | None,
        *,
        time_limit: float,
        grace: float = 30.0,
        command: Sequence[str] = DEFAULT_COMMAND,
        clock: Clock | None = None,
    ) -> None:
        self.config_path = config_path
        self.time_limit = time_limit
        self.grace = grace
        self.command = tuple(command)
        self.clock = clock or SystemClock()
        self._running: set[_Running] = set()
        self._lock = threading.Lock()

    def argv(self, source: str) -> list[str]:
        config = ["--config", os.fspath(self.config_path)] if self.config_path else []
        return [*self.command, *config, "--source", source, "--json"]

    def expire_all(self) -> None:
        """Start stopping every running crawl now, as if its time limit had passed."""
        with self._lock:
            running = list(self._running)
        for crawl in running:
            crawl.expire()

    def run(self, source: str) -> CrawlResult:
        """Run one crawl of `source` to its end; never raises for a crawl that went wrong."""
        argv = self.argv(source)
        started = self.clock.now()
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as exc:
            reason = f"cannot start the crawl command {argv[0]!r}: {exc}"
            logger.error("source %s: %s", source, reason)
            return CrawlResult(source, started, self.clock.now(), "failed", error=reason)
        logger.info("source %s: crawl started (pid %s)", source, process.pid)
        crawl = _Running(process, self.grace, self.clock)
        with self._lock:
            self._running.add(crawl)
        crawl.schedule(self.time_limit)
        try:
            stdout, stderr = _collect(process, source)
            exit_code = process.wait()
        finally:
            crawl.finish()
            with self._lock:
                self._running.discard(crawl)
        summary = parse_summary(stdout)
        outcome, error = judge(exit_code, summary, stderr, expired=crawl.expired)
        result = CrawlResult(
            source, started, self.clock.now(), outcome, exit_code, summary, error, crawl.signals
        )
        # DEBUG: the service (or the worker) logs the run's one summary line.
        logger.debug("source %s: crawl process ended with exit code %s", source, exit_code)
        return result


def _collect(process: subprocess.Popen[str], source: str) -> tuple[list[str], deque[str]]:
    """Read both pipes to their end: stdout kept, stderr relayed and its tail kept."""
    assert process.stdout is not None and process.stderr is not None
    stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
    crawl_log = CrawlLog()

    def pump_stderr() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.rstrip()
            stderr_tail.append(line)
            level, text = crawl_log.relay(line)  # the service's record has its own time
            logger.log(level, "[crawl %s] %s", source, text)

    reader = threading.Thread(target=pump_stderr, name=f"crawl-stderr-{source}", daemon=True)
    reader.start()
    stdout = list(process.stdout)
    reader.join()
    return stdout, stderr_tail


def parse_summary(stdout: Iterable[str]) -> CrawlSummary | None:
    """The crawl's JSON summary: its last non-empty stdout line, when that is a JSON object."""
    lines = [line.strip() for line in stdout if line.strip()]
    if not lines:
        return None
    try:
        summary = json.loads(lines[-1])
    except ValueError:
        return None
    return read_summary(summary)


def judge(
    exit_code: int, summary: CrawlSummary | None, stderr: Iterable[str], *, expired: bool
) -> tuple[RunOutcome, str | None]:
    """The outcome and error text of a finished crawl process."""
    if expired:
        suffix = "" if summary is not None else " before it printed a summary"
        return "timed_out", "stopped at the time limit" + suffix
    if exit_code != 0:
        detail = " | ".join(line for line in list(stderr)[-3:] if line)
        return "failed", f"exit code {exit_code}" + (f": {detail}" if detail else "")
    if summary is None:
        return "failed", "the crawl printed no JSON summary on its last stdout line"
    if not summary.get("pages_fetched") and summary.get("errors"):
        # It ran but could not fetch a single page: the source is down, not quiet.
        return "failed", f"no page fetched; errors: {summary['errors']}"
    return "ok", None


class EngineRunner:
    """Runs each crawl as a poll of the long-running crawl engine; thread-safe.

    One engine child serves every thread of the service (or of a worker). A poll
    it lost (the engine crashed, was killed or recycled with the poll in flight)
    is run again, up to ENGINE_ATTEMPTS times, so a due source still runs.
    """

    def __init__(
        self,
        config_path: str | os.PathLike[str] | None,
        *,
        time_limit: float,
        concurrency: int,
        command: Sequence[str] = ENGINE_COMMAND,
        clock: Clock | None = None,
    ) -> None:
        self.time_limit = time_limit
        self.clock = clock or SystemClock()
        config = ["--config", os.fspath(config_path)] if config_path else []
        self._log = CrawlLog()
        self._quiet = False
        self._log_lock = threading.Lock()
        self.client = EngineClient([*command, *config], concurrency=concurrency, relay=self._relay)

    def run(self, source: str) -> CrawlResult:
        """Run one poll of `source` to its end; never raises for a crawl that went wrong."""
        started = self.clock.now()
        for attempt in range(1, ENGINE_ATTEMPTS + 1):
            request = PollRequest(uuid.uuid4().hex, source, self.time_limit)
            # As CrawlRunner says it: what runs where, while it runs.
            logger.info("source %s: crawl started (in the engine)", source)
            reply = self.client.poll(request)
            if reply.outcome != "lost":
                outcome: RunOutcome = reply.outcome
                return CrawlResult(
                    source, started, self.clock.now(), outcome, None, reply.summary, reply.error
                )
            logger.warning(
                "source %s: the engine lost the poll (%s); attempt %d of %d",
                source,
                reply.error,
                attempt,
                ENGINE_ATTEMPTS,
            )
        error = f"the engine lost the poll {ENGINE_ATTEMPTS} times: {reply.error}"
        return CrawlResult(source, started, self.clock.now(), "failed", error=error)

    def expire_all(self) -> None:
        self.client.expire_all()

    def close(self) -> None:
        """Let running polls end, then stop the engine child."""
        self.client.close()

    def _relay(self, line: str) -> None:
        """One line of the engine's log into ours: its own time stamp dropped (ours is
        enough); its INFO records at DEBUG, since the service writes each poll's one
        summary line, except the engine's own and a long poll's progress line."""
        with self._log_lock:
            level = self._log.level_of(line)
            record = RECORD.match(line)
            if record is not None:
                self._quiet = not record["logger"].startswith(INFO_LOGGERS)
                line = line[record.start("level") :]
            if self._quiet and level <= logging.INFO:
                level = logging.DEBUG
        logger.log(level, "[engine] %s", line)
