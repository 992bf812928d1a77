"""The scheduler service: a BlockingScheduler over the persistent job store, one job per source."""

from __future__ import annotations

import logging
import signal
import threading
from collections import Counter
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    EVENT_SCHEDULER_SHUTDOWN,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawler.alerts.schedule import SchedulerAlerts
from crawler.base.time import isoformat_utc
from scheduler import drain, jobs
from scheduler.clock import SystemClock
from scheduler.control import CONTROL, IN_FLIGHT_EVENTS, RequestDesk, RunRequests
from scheduler.crawllog import PollTally, poll_level, quiet_crawl_chatter, summary_line
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


#: A turn that starts later than this after its time (missed while the service was
#: stopped) moves the next turn to a full interval after it.
LATE = timedelta(seconds=1)


class SchedulerService:
    """Crawls each configured source on its schedule; `run()` blocks until stopped.

    Besides one job per source, a control job runs every `poll_interval` seconds in
    its own executor (so busy crawl threads never delay it): it acts on a stop asked
    for by a signal and on the run requests `newswatch run-now` writes.
    """

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
    ) -> None:
        self.config = config
        self.runner = runner
        self.clock = clock or SystemClock()
        self.engine = engine or make_engine(jobstore_url(config))
        self.ledger = Ledger(config, StateStore(self.engine), backend)
        self.alerts = SchedulerAlerts.create(config, backend)
        self.poll_interval = poll_interval
        self.scheduler = BlockingScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers), CONTROL: ThreadPoolExecutor(1)},
        )
        self.store = SQLAlchemyJobStore(engine=self.engine, tablename=JOBS_TABLE)
        self.scheduler.add_jobstore(self.store, "default")
        self.scheduler.add_jobstore(MemoryJobStore(), CONTROL)
        # The control job's turns ("Running job ...", every --poll seconds) only at WARNING:
        # an executor logs to "apscheduler.executors.<its alias>".
        logging.getLogger(f"apscheduler.executors.{CONTROL}").setLevel(logging.WARNING)
        self.desk = RequestDesk(self.scheduler, RunRequests(self.engine))
        self.scheduler.add_listener(self.desk.on_event, IN_FLIGHT_EVENTS)
        self.scheduler.add_listener(
            self._on_event,
            EVENT_JOB_SUBMITTED
            | EVENT_JOB_EXECUTED
            | EVENT_JOB_ERROR
            | EVENT_JOB_MISSED
            | EVENT_JOB_MAX_INSTANCES,
        )
        self.stats: Counter[str] = Counter()
        self.tally = PollTally(self.clock.now())
        quiet_crawl_chatter()  # one line per poll that found something, not the crawl's INFO
        self._levels: dict[str, int] = {}  # each finished run's log level, until it is logged
        # At a stop, how long running crawls may go on before they are stopped;
        # None: until their own time limit.
        self.stop_wait = stop_wait
        self._deadline: Timer | None = None
        self.scheduler.add_listener(self._on_shutdown, EVENT_SCHEDULER_SHUTDOWN)
        self.stop_requested = False  # by a signal; the control job acts on it
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
        """Bind this service for the job functions, reconcile the store, add the control job."""
        jobs.bind(self)
        self.store.start(self.scheduler, "default")
        if self.alerts is not None:
            self.alerts.install(self.scheduler)
        specs = [self.spec(source) for source in self.config.sources]
        changes = reconcile(
            self.scheduler,
            self.store,
            specs,
            self.clock.now(),
            jitter=self.config.scheduler.jitter.total_seconds(),
        )
        self.scheduler.add_job(
            jobs.control,
            trigger=IntervalTrigger(seconds=self.poll_interval, timezone=UTC),
            id=CONTROL,
            name="control: stop and run requests",
            jobstore=CONTROL,
            executor=CONTROL,
            replace_existing=True,
            coalesce=True,
            # One thread runs them, so turns never overlap: a turn due while one runs
            # waits for it rather than being skipped.
            max_instances=2,
            misfire_grace_time=None,  # however late, one turn still reads the requests
        )
        return changes

    def request_stop(self) -> None:
        """Stop at the control job's next turn: no new runs; safe to call from a signal handler."""
        if self.stopping:
            self.terminate = True  # asked twice: stop the running crawls now
        # Only flags: a signal handler that takes the scheduler's locks can deadlock.
        self.stop_requested = True
        self.stopping = True

    def control(self) -> None:
        """The control job: a stop asked for by a signal, then pending run requests."""
        if self.stop_requested:
            self._shut_down()  # running crawls are waited for by finish()
            return
        self.desk.apply_pending(self.clock.now())

    def finish(self) -> None:
        """Shut the scheduler down, then wait for running crawls (each within its time limit)."""
        with self._idle:
            self.stopping = True  # under the lock: no crawl starts once the count is read
        self._shut_down()
        with self._idle:
            in_flight = self._running
        drain.begin(self.runner, in_flight)  # queue mode: take back what no worker started
        with self._idle:
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

    def _shut_down(self) -> None:
        # The control job and finish() may both get here.
        with suppress(SchedulerNotRunningError):
            self.scheduler.shutdown(wait=False)

    # jobs --------------------------------------------------------------------
    def spec(self, source: Source) -> JobSpec:
        trigger = build_trigger(
            source,
            self.ledger.effective(source),
            self.config.scheduler.jitter.total_seconds(),
        )
        return JobSpec(source.name, trigger, self.config.scheduler.misfire_grace.total_seconds())

    def crawl(self, name: str) -> str:
        """One scheduled run of source `name` (called in an executor thread); its summary line."""
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
        requested = self.desk.crawl_started(name, self.clock.now())
        try:
            try:
                result = self.runner.run(name)
            except drain.TurnReturned as exc:  # queue mode: stopping before a worker took it
                self.stats["scheduler/skipped/returned"] += 1
                self.ledger.skip(name, self.clock.now(), f"{exc}: turn returned to the schedule")
                drain.return_turn(self.store, name, self.clock.now())
                return "returned"
            except RunSkipped as exc:  # queue mode: the broker stayed down, or a stop came
                self.stats["scheduler/skipped/not_dispatched"] += 1
                self.ledger.skip(name, self.clock.now(), str(exc))
                return "skipped"
            entry = self.ledger.record(source, result)
            self.tally.add(result)
            self._levels[name] = poll_level(result, entry.run.get("failures") or 0, requested)
            if self.alerts is not None:
                self.alerts.after_crawl(result.summary)
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()
        if entry.every_after is not None and entry.every_after != entry.every_before:
            self._reschedule(source)
        return summary_line(result)

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
        source = source_of(getattr(event, "job_id", ""))
        if isinstance(event, JobExecutionEvent) and event.code == EVENT_JOB_ERROR:
            self.stats["scheduler/errors"] += 1
            logger.error(
                "job %s raised %r\n%s", event.job_id, event.exception, event.traceback or ""
            )
        elif source is None:
            return  # the control job, alert digests: not a source's turn
        elif isinstance(event, JobSubmissionEvent) and event.code == EVENT_JOB_SUBMITTED:
            self._keep_interval(source, event.scheduled_run_times[-1])
        elif isinstance(event, JobSubmissionEvent):  # max instances
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
        elif isinstance(event, JobExecutionEvent):
            # Logged once the executor has let go of the job: a new turn can start now.
            level = self._levels.pop(source, logging.WARNING)
            logger.log(level, "source %s: run finished: %s", source, event.retval)
            line = self.tally.line_due(self.clock.now())
            if line is not None:
                logger.info("%s", line)

    def _keep_interval(self, source: str, turn: datetime) -> None:
        """A late turn (missed while stopped) moves the next one a full interval after it.

        Otherwise the trigger keeps its old times and the next turn can come right
        after this one: two crawls back to back. A turn later than the misfire grace
        time is skipped, not run, so it moves nothing. Cron sources keep their times.
        """
        now = self.clock.now()
        late = now - turn
        if late <= LATE or late > self.config.scheduler.misfire_grace:
            return
        job = self.scheduler.get_job(job_id(source))
        if job is None or not isinstance(job.trigger, IntervalTrigger):
            return
        wanted = now + job.trigger.interval
        if job.next_run_time is not None and job.next_run_time < wanted:
            logger.info(
                "source %s: turn of %s ran %ss late; next turn at %s",
                source,
                isoformat_utc(turn),
                round(late.total_seconds()),
                isoformat_utc(wanted),
            )
            with suppress(JobLookupError):
                self.scheduler.modify_job(job.id, next_run_time=wanted)


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
