"""The persistent job store: where it lives, and bringing its jobs in line with the config.

Jobs survive restarts with their next run times. At start the service
reconciles the store with the config: jobs of removed sources go, new sources
get a job, a changed schedule replaces the trigger, and an unchanged job is
left alone so that its next run time stays exactly as it was.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import MetaData, Table, create_engine, inspect, select

from crawler.config import ConfigError

if TYPE_CHECKING:
    from apscheduler.job import Job
    from apscheduler.schedulers.base import BaseScheduler
    from apscheduler.triggers.base import BaseTrigger
    from sqlalchemy.engine import Engine

    from crawler.config import Config, Source

logger = logging.getLogger(__name__)

JOB_PREFIX = "crawl:"
JOB_FUNC = "scheduler.jobs:crawl_source"
JOBS_TABLE = "apscheduler_jobs"


def job_id(source: str) -> str:
    return f"{JOB_PREFIX}{source}"


def source_of(job_id: str) -> str | None:
    return job_id[len(JOB_PREFIX) :] if job_id.startswith(JOB_PREFIX) else None


def jobstore_url(config: Config) -> str:
    """`scheduler.jobstore_url`, or a SQLite file in the state directory."""
    if config.scheduler.jobstore_url:
        return config.scheduler.jobstore_url
    return f"sqlite:///{(config.state_dir / 'scheduler.sqlite3').absolute()}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url)


def open_store(engine: Engine, owner: BaseScheduler | None = None) -> SQLAlchemyJobStore:
    """The job store on `engine`, read outside a running scheduler (status, run-now)."""
    store = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
    # Jobs read back need a scheduler for their time zone; an idle one will do.
    store.start(owner or BlockingScheduler(timezone=UTC), "default")
    return store


def build_trigger(source: Source, every: float | None, jitter: float) -> BaseTrigger:
    """The source's cron trigger, or an interval trigger of `every` seconds."""
    if source.cron:
        try:
            trigger = CronTrigger.from_crontab(source.cron, timezone=UTC)
        except ValueError as exc:
            raise ConfigError(
                f"sources[{source.name}].cron: {exc} (expected 5 crontab fields, in UTC)"
            ) from None
        trigger.jitter = int(jitter) or None
        return trigger
    assert every is not None
    return IntervalTrigger(seconds=every, jitter=int(jitter) or None, timezone=UTC)


def trigger_key(trigger: BaseTrigger) -> tuple[Any, ...]:
    """What makes two triggers fire alike (an interval's start date does not)."""
    jitter = getattr(trigger, "jitter", None)
    if isinstance(trigger, IntervalTrigger):
        return ("interval", trigger.interval_length, jitter)
    return (type(trigger).__name__, str(trigger), jitter)


@dataclass(frozen=True)
class JobSpec:
    """The job one source should have."""

    source: str
    trigger: BaseTrigger
    misfire_grace: float

    def options(self) -> dict[str, Any]:
        return {
            "id": job_id(self.source),
            "name": f"crawl {self.source}",
            "args": (self.source,),
            "coalesce": True,  # after downtime, one run for all the missed turns
            "max_instances": 1,  # never two crawls of one source at once
            "misfire_grace_time": int(self.misfire_grace),
        }

    def matches(self, job: Job) -> bool:
        return (
            trigger_key(job.trigger) == trigger_key(self.trigger)
            and job.func_ref == JOB_FUNC
            and tuple(job.args) == (self.source,)
            and job.coalesce
            and job.max_instances == 1
            and job.misfire_grace_time == int(self.misfire_grace)
        )


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def reconcile(
    scheduler: BaseScheduler,
    store: SQLAlchemyJobStore,
    specs: list[JobSpec],
    now: datetime,
    jitter: float = 0.0,
) -> Changes:
    """Make the store hold exactly one job per spec; `scheduler` is not started yet."""
    changes = Changes()
    existing = {job.id: job for job in store.get_all_jobs() if source_of(job.id) is not None}
    wanted = {job_id(spec.source): spec for spec in specs}
    for stale in sorted(existing.keys() - wanted.keys()):
        store.remove_job(stale)
        changes.removed.append(source_of(stale) or stale)
    for id_, spec in wanted.items():
        old = existing.get(id_)
        if old is not None and spec.matches(old):
            changes.unchanged.append(spec.source)
            continue
        first = spec.trigger.get_next_fire_time(None, now)
        if old is not None and old.next_run_time is not None:
            # A longer interval keeps the turn already planned; a shorter one brings it forward.
            next_run = min(old.next_run_time, first) if first else old.next_run_time
            changes.changed.append(spec.source)
        elif isinstance(spec.trigger, IntervalTrigger):
            # A new source is crawled soon; jitter keeps many new sources from starting at once.
            next_run = now + timedelta(seconds=random.uniform(0, jitter))
            changes.added.append(spec.source)
        else:
            next_run = first  # a cron source keeps to its times from the start
            changes.added.append(spec.source)
        scheduler.add_job(
            JOB_FUNC,
            trigger=spec.trigger,
            next_run_time=next_run,
            replace_existing=True,
            **spec.options(),
        )
    logger.info(
        "job store reconciled: %d added, %d changed, %d removed, %d unchanged",
        len(changes.added),
        len(changes.changed),
        len(changes.removed),
        len(changes.unchanged),
    )
    return changes


def next_run_times(engine: Engine) -> dict[str, datetime | None]:
    """Each scheduled source's next run time (None: paused), as the store has it.

    Read from the store's own `next_run_time` column (UTC seconds), without
    unpickling 10,000 jobs; only reads: writes go through the scheduler.
    """
    if not inspect(engine).has_table(JOBS_TABLE):
        return {}
    table = Table(JOBS_TABLE, MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.id, table.c.next_run_time)).all()
    return {
        source: datetime.fromtimestamp(when, UTC) if when is not None else None
        for id_, when in rows
        if (source := source_of(id_)) is not None
    }
