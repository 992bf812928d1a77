"""The scheduler service: a BlockingScheduler over the persistent job store, one job per source."""

from __future__ import annotations

import logging
import signal
import threading
from collections import Counter
from contextlib import contextmanager
from datetime import UTC
from typing import TYPE_CHECKING, Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_SHUTDOWN,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

from crawler.alerts.schedule import SchedulerAlerts
from scheduler import jobs
from scheduler.clock import SystemClock
from scheduler.jobstore import (
    JOBS_TABLE,
    Changes,
    JobSpec,
    build_trigger,
    job_id,
    jobstore_url,
    make_engine,
    reconcile,
    source_of,
)
from scheduler.ledger import Ledger
from scheduler.lock import ServiceLock
from scheduler.runner import RunSkipped
from scheduler.state import StateStore

if TYPE_CHECKING:
    from collections.abc import Iterator

    from apscheduler.events import SchedulerEvent
    from sqlalchemy.engine import Engine

    from crawler.config import Config, Source
    from crawler.index.backend import IndexBackend
    from scheduler.clock import Clock, Timer
    from scheduler.runner import Runner

logger = logging.getLogger(__name__)


class PollingScheduler(BlockingScheduler):
    """A BlockingScheduler that wakes up at least every `poll_interval` seconds.

    APScheduler 3 reads the job store only when it wakes up, so without this a
    `run-now` written to the store by another process would wait for the next
    planned run. The wakeup is also when a stop asked for by a signal handler
    takes effect: the handler only sets a flag, as taking locks there can deadlock.
    """

    def __init__(self, *, poll_interval: float = 1.0, **options: Any) -> None:
        self.poll_interval = poll_interval
        self.stop_requested = False
        super().__init__(**options)

    def _process_jobs(self) -> float | None:
        if self.stop_requested:
            self.shutdown(wait=False)  # running crawls are waited for by the service
            return None
        wait_seconds = super()._process_jobs()
        if wait_seconds is None:
            return self.poll_interval
        return min(wait_seconds, self.poll_interval)


class SchedulerService:
    """Crawls each configured source on its schedule; `run()` blocks until stopped."""

    def __init__(
        self,
        config: Config,
        runner: Runner,
        backend: IndexBackend,
        *,
        clock: Clock | None = None,
        engine: Engine | None = None,
        max_workers: int = 4,
        poll_interval: float = 1.0,
        stop_wait: float | None = None,
        scheduler_class: type[PollingScheduler] = PollingScheduler,
    ) -> None:
        self.config = config
        self.runner = runner
        self.clock = clock or SystemClock()
        self.engine = engine or make_engine(jobstore_url(config))
        self.ledger = Ledger(config, StateStore(self.engine), backend)
        self.alerts = SchedulerAlerts.create(config, backend)
        self.scheduler = scheduler_class(
            poll_interval=poll_interval,
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers)},
        )
        self.store = SQLAlchemyJobStore(engine=self.engine, tablename=JOBS_TABLE)
        self.scheduler.add_jobstore(self.store, "default")
        self.scheduler.add_listener(
            self._on_event,
            EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES,
        )
        self.stats: Counter[str] = Counter()
        # At a stop, how long running crawls may go on before they are stopped;
        # None: until their own time limit.
        self.stop_wait = stop_wait
        self._deadline: Timer | None = None
        self.scheduler.add_listener(self._on_shutdown, EVENT_SCHEDULER_SHUTDOWN)
        self.stopping = False
        self.terminate = False
        self._running = 0
        self._idle = threading.Condition()

    # lifecycle -------------------------------------------------------------
    def run(self) -> None:
        """Reconcile the job store, then schedule until stopped, then let running crawls end."""
        with ServiceLock(self.config.state_dir):
            self.start()
            try:
                self.scheduler.start()  # blocks until stopped
            finally:
                self.finish()

    def start(self) -> Changes:
        """Bind this service for the job functions and reconcile the store with the config."""
        jobs.bind(self)
        self.store.start(self.scheduler, "default")
        if self.alerts is not None:
            self.alerts.install(self.scheduler)
        specs = [self.spec(source) for source in self.config.sources]
        return reconcile(
            self.scheduler,
            self.store,
            specs,
            self.clock.now(),
            jitter=self.config.scheduler.jitter.total_seconds(),
        )

    def request_stop(self) -> None:
        """Stop after the current wakeup: no new runs; safe to call from a signal handler."""
        if self.stopping:
            self.terminate = True  # asked twice: stop the running crawls now
        self.stopping = True
        self.scheduler.stop_requested = True

    def finish(self) -> None:
        """Shut the scheduler down, then wait for running crawls (each within its time limit)."""
        with self._idle:
            self.stopping = True  # under the lock: no crawl starts once the count is read
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        with self._idle:
            if self._running:
                logger.info("waiting for %d running crawl(s) to finish", self._running)
            while self._running:
                if self.terminate:
                    self.runner.expire_all()
                # Wakes at least each second: a second signal only sets a flag.
                self._idle.wait(timeout=1.0)
        if self._deadline is not None:
            self._deadline.cancel()
        jobs.bind(None)
        if self.alerts is not None:
            self.alerts.close()
        logger.info("scheduler stopped: %s", dict(self.stats) or "no skips or errors")

    # jobs --------------------------------------------------------------------
    def spec(self, source: Source) -> JobSpec:
        trigger = build_trigger(
            source,
            self.ledger.effective(source),
            self.config.scheduler.jitter.total_seconds(),
        )
        return JobSpec(source.name, trigger, self.config.scheduler.misfire_grace.total_seconds())

    def crawl(self, name: str) -> str:
        """One scheduled run of source `name` (called in an executor thread)."""
        try:
            source = self.config.source(name)
        except KeyError:
            logger.error("source %s: scheduled but not in the config", name)
            return "unknown source"
        with self._idle:
            if self.stopping:
                logger.info("source %s: not started, the scheduler is stopping", name)
                return "not started"
            self._running += 1
        try:
            try:
                result = self.runner.run(name)
            except RunSkipped as exc:  # queue mode: the broker stayed down, or a stop came
                self.stats["scheduler/skipped/not_dispatched"] += 1
                self.ledger.skip(name, self.clock.now(), str(exc))
                return "skipped"
            entry = self.ledger.record(source, result)
            if self.alerts is not None:
                self.alerts.after_crawl(result.summary)
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()
        if entry.every_after is not None and entry.every_after != entry.every_before:
            self._reschedule(source)
        return result.outcome

    def _reschedule(self, source: Source) -> None:
        if self.stopping:
            return  # the state table has the interval; the next start applies it
        try:
            self.scheduler.reschedule_job(job_id(source.name), trigger=self.spec(source).trigger)
        except JobLookupError:
            logger.warning("source %s: its job is gone, cannot apply the new interval", source.name)

    def _on_shutdown(self, event: SchedulerEvent) -> None:
        if self.stop_wait is not None:
            self._deadline = self.clock.call_later(self.stop_wait, self.runner.expire_all)

    def _on_event(self, event: SchedulerEvent) -> None:
        source = source_of(getattr(event, "job_id", "")) or "?"
        if isinstance(event, JobSubmissionEvent):  # max instances
            self.stats["scheduler/skipped/still_running"] += 1
            when = event.scheduled_run_times[-1]
            self.ledger.skip(
                source,
                self.clock.now(),
                f"turn of {when:%Y-%m-%dT%H:%M:%SZ}: the previous run was still going",
            )
        elif isinstance(event, JobExecutionEvent) and event.code == EVENT_JOB_MISSED:
            self.stats["scheduler/skipped/missed"] += 1
            self.ledger.skip(
                source,
                self.clock.now(),
                f"turn of {event.scheduled_run_time:%Y-%m-%dT%H:%M:%SZ} missed by more than "
                f"the misfire grace time ({self.config.scheduler.misfire_grace})",
            )
        elif isinstance(event, JobExecutionEvent) and event.code == EVENT_JOB_EXECUTED:
            # Logged once the executor has let go of the job: a new turn can start now.
            logger.info("source %s: run finished: %s", source, event.retval)
        elif isinstance(event, JobExecutionEvent):
            self.stats["scheduler/errors"] += 1
            logger.error(
                "job %s raised %r\n%s", event.job_id, event.exception, event.traceback or ""
            )


@contextmanager
def stop_on_signals(service: SchedulerService) -> Iterator[None]:
    """SIGTERM/SIGINT stop the service gracefully; a second one stops the running crawls."""

    def handle(signum: int, frame: object) -> None:
        logger.warning("%s: stopping the scheduler", signal.Signals(signum).name)
        service.request_stop()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
