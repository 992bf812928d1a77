"""Queue mode, worker side: `newswatch worker` takes crawl jobs from the broker and runs them.

Each job runs the same crawl subprocess as embedded mode, under the source's
lock, and its result goes back to the scheduler through Redis. Dramatiq
acknowledges a message only after the job returns, so a worker killed mid-crawl
leaves its message to be re-delivered once its heartbeat stops (the scheduler's
reconciler notices within `worker_timeout`, scheduler/queue/reconcile.py); the
crawl it started dies with it (scheduler/queue/orphans.py), and its lock is released.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar

import dramatiq

from crawler.base.time import isoformat_utc
from scheduler.clock import SystemClock
from scheduler.crawllog import summary_line
from scheduler.queue.broker import ACTOR, RESULT_TTL, ConnectionErrors, Keys, connect, make_broker
from scheduler.queue.dispatch import encode_result
from scheduler.queue.orphans import PARENT_ENV
from scheduler.queue.outage import Outages, quiet_dramatiq
from scheduler.queue.sourcelock import SourceLock
from scheduler.runner import DEFAULT_COMMAND, ENGINE_COMMAND, CrawlResult, CrawlRunner, EngineRunner

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from crawler.config import Config

logger = logging.getLogger(__name__)

T = TypeVar("T")
LOCK_POLL = 0.5  # seconds between looks at a source lock someone else holds


class CrawlWorker:
    """One worker process: `concurrency` crawls at a time, heartbeats, graceful stop."""

    def __init__(
        self,
        config: Config,
        config_path: str | os.PathLike[str] | None,
        *,
        name: str | None = None,
        concurrency: int | None = None,
        grace: float = 30.0,
        command: Sequence[str] | None = None,
    ) -> None:
        self.config = config
        self.dispatch = config.dispatch
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.client = connect(self.dispatch)
        self.broker = make_broker(self.dispatch, self.client)
        self.keys = Keys(self.dispatch.namespace)
        self.timeout = self.dispatch.worker_timeout.total_seconds()
        # The engine (or each crawl process) dies with this worker: its jobs are re-delivered.
        orphans = (sys.executable, "-m", "scheduler.queue.orphans")
        time_limit = config.crawl.time_limit.total_seconds()
        engine = config.crawl.engine
        # A crawl command (tests, `nice`) means a process per crawl, as mode: process does.
        processes = engine.mode == "process" or command is not None
        concurrency = concurrency or (1 if processes else engine.concurrency)
        self.runner: CrawlRunner | EngineRunner
        if processes:
            command = (*orphans, *(command or DEFAULT_COMMAND))
            self.runner = CrawlRunner(
                config_path, time_limit=time_limit, grace=grace, command=command
            )
        else:
            self.runner = EngineRunner(
                config_path,
                time_limit=time_limit,
                concurrency=concurrency,
                command=(*orphans, *ENGINE_COMMAND),
            )
        self.clock = SystemClock()
        self.crawling: dict[str, dict[str, str]] = {}  # job -> {"source", "started"}
        self.stopping = threading.Event()
        self.outages = Outages(f"worker {self.name}", paused="waiting", resumed="taking jobs")
        quiet_dramatiq(self.outages, self.dispatch.queue)
        dramatiq.Actor(
            self.handle,
            broker=self.broker,
            actor_name=ACTOR,
            queue_name=self.dispatch.queue,
            priority=0,
            options={},
        )
        self.worker = dramatiq.Worker(
            self.broker,
            worker_threads=concurrency,
            worker_timeout=max(int(self.dispatch.poll.total_seconds() * 1000), 1),
        )
        # Take no more jobs than can run now: a waiting job belongs to an idle worker.
        self.worker.queue_prefetch = concurrency

    # lifecycle -------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Consume crawl jobs until `stop` is set, then let the running crawls finish."""
        os.environ[PARENT_ENV] = str(os.getpid())
        beat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        beat.start()
        self.worker.start()
        logger.info("worker %s: taking crawl jobs from queue %s", self.name, self.dispatch.queue)
        stop.wait()
        logger.info("worker %s: stopping; running crawls finish first", self.name)
        self.worker.stop(timeout=2**31 - 1)  # the crawls keep their own time limit
        self.stopping.set()
        beat.join()
        if isinstance(self.runner, EngineRunner):
            self.runner.close()
        with contextlib.suppress(*ConnectionErrors):  # it drops out of `status` on its own
            self.client.zrem(self.keys.workers, self.name)
        logger.info("worker %s: stopped", self.name)

    def expire_all(self) -> None:
        """Stop the running crawls now (SIGTERM, then SIGKILL after the grace time)."""
        self.runner.expire_all()

    # the job -----------------------------------------------------------------
    def handle(self, source: str, job: str, enqueued: float) -> None:
        """Crawl `source` for job `job` unless that job already ran; send the result back."""
        queued_s = max(time.time() - enqueued, 0.0)
        lock = SourceLock(self.client, self.keys.lock(source), f"{self.name}/{job}", self.timeout)
        waited = self._take(lock, job, source)
        if waited is None:
            logger.warning("job %s of %s: already done; re-delivered copy dropped", job, source)
            return
        self.crawling[job] = {"source": source, "started": str(isoformat_utc(self.clock.now()))}
        # Say so at once, not at the next beat: a worker killed in the crawl's first second
        # must leave this job in the info the scheduler reads, or its attempt is unrecorded.
        self._beat_now()
        try:
            result = self._crawl(source)
            result.worker = self.name
            level = logging.INFO if result.outcome == "ok" else logging.WARNING
            logger.log(level, "source %s: job %s: %s", source, job, summary_line(result))
            result.dispatch = {"job": job, "queued_s": round(queued_s, 4), "lock_wait_s": waited}
            self._publish(job, result)
        finally:
            self.crawling.pop(job, None)
            lock.release()

    def _take(self, lock: SourceLock, job: str, source: str) -> float | None:
        """Hold the source's lock; seconds waited for it, or None when the job is done."""
        started = time.monotonic()
        told = False
        while True:
            if self._call(lambda: self.client.exists(self.keys.done(job))):
                return None
            if self._call(lock.acquire):
                return round(time.monotonic() - started, 3)
            if not told:  # once: the wait can last a whole crawl
                logger.info("source %s: locked by %s; waiting", source, self._call(lock.holder))
                told = True
            time.sleep(LOCK_POLL)

    def _crawl(self, source: str) -> CrawlResult:
        try:
            self.config.source(source)
        except KeyError:
            now = self.clock.now()
            reason = f"source {source} is not in this worker's config: give workers the same file"
            logger.error("%s", reason)
            return CrawlResult(source, now, now, "failed", error=reason)
        return self.runner.run(source)

    def _publish(self, job: str, result: CrawlResult) -> None:
        """The result to the scheduler and the done marker, in one transaction; retried."""

        def send() -> None:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.rpush(self.keys.result(job), encode_result(result))
                pipe.expire(self.keys.result(job), RESULT_TTL)
                pipe.set(self.keys.done(job), self.name, ex=RESULT_TTL)
                pipe.execute()

        self._call(send)

    # Redis plumbing ------------------------------------------------------------
    def _call(self, operation: Callable[[], T]) -> T:
        """Run a Redis operation, waiting through an outage: a job must not be dropped."""
        while True:
            try:
                value = operation()
            except ConnectionErrors as exc:
                self.outages.down(exc)
                time.sleep(1.0)
                continue
            self.outages.up()
            return value

    def _heartbeat(self) -> None:
        """Say this worker is alive, to Dramatiq (busy workers do not poll) and to `status`."""
        interval = min(1.0, self.timeout / 4)
        while not self.stopping.is_set():
            info = self._info()
            try:
                self._beat(info)
            except ConnectionErrors as exc:
                self.outages.down(exc)
            else:
                self.outages.up()
            self.stopping.wait(interval)

    def _beat_now(self) -> None:
        try:
            self._beat(self._info())
        except ConnectionErrors as exc:
            self.outages.down(exc)

    def _beat(self, info: dict[str, Any]) -> None:
        now_ms = int(time.time() * 1000)
        with self.client.pipeline(transaction=False) as pipe:
            pipe.zadd(self.keys.heartbeats, {self.broker.broker_id: now_ms})
            pipe.zadd(self.keys.workers, {self.name: now_ms})
            # Kept after a death: the scheduler reads what the dead worker was running.
            pipe.set(self.keys.worker(self.name), json.dumps(info), ex=RESULT_TTL)
            pipe.execute()

    def _info(self) -> dict[str, Any]:
        jobs = dict(self.crawling)
        return {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "broker_id": self.broker.broker_id,
            "jobs": jobs,
            "crawling": sorted(run["source"] for run in jobs.values()),
        }
