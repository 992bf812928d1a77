"""Run requests: how `newswatch run-now` reaches a running scheduler service.

A scheduler reads its jobs through its own calls; a row another process writes
to the job store bypasses it (no wakeup, no events, and a race with the
scheduler's own update of the same job). So the CLI never touches the job
store: it adds a row to `newswatch_run_requests`, in the job store's database,
and the service's control job reads the pending rows every `--poll` seconds and
applies each with the public `modify_job(next_run_time=now)`.

A request is answered by the first crawl of its source that starts after it was
made. While a crawl of the source is queued or running the request waits for it
to end, so it never turns into a skipped turn. A request is marked done once;
one applied just before a crash is answered at the restart by the turn it made
due, not run twice.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
)
from apscheduler.jobstores.base import JobLookupError
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Unicode, insert, select, update

from crawler.base.time import isoformat_utc
from scheduler.jobstore import job_id, source_of

if TYPE_CHECKING:
    from typing import Any

    from apscheduler.events import SchedulerEvent
    from apscheduler.schedulers.base import BaseScheduler
    from sqlalchemy import Select
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

#: The job store and executor of the control job: in memory, rebuilt at each start.
CONTROL = "control"
#: What makes a source's crawl count as queued or running, and what ends it.
IN_FLIGHT_EVENTS = EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED

_metadata = MetaData()
_table = Table(
    "newswatch_run_requests",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Unicode(191), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("done_at", DateTime(timezone=True), nullable=True),
    Column("result", Unicode(255), nullable=True),
)


@dataclass(frozen=True)
class RunRequest:
    id: int
    source: str
    requested_at: datetime
    done_at: datetime | None = None
    result: str | None = None


class RunRequests:
    """Rows of `newswatch_run_requests`: added by `run-now`, marked done by the service."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        _metadata.create_all(engine, checkfirst=True)

    def add(self, source: str, now: datetime) -> int:
        with self.engine.begin() as conn:
            row = conn.execute(insert(_table).values(source=source, requested_at=now))
            key = row.inserted_primary_key
        assert key is not None
        return int(key[0])

    def pending(self) -> list[RunRequest]:
        query = select(_table).where(_table.c.done_at.is_(None)).order_by(_table.c.id)
        return self._read(query)

    def get(self, request_id: int) -> RunRequest | None:
        found = self._read(select(_table).where(_table.c.id == request_id))
        return found[0] if found else None

    def done(self, request_id: int, now: datetime, result: str) -> bool:
        """Mark a pending request done; False when it already was."""
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(_table)
                .where(_table.c.id == request_id, _table.c.done_at.is_(None))
                .values(done_at=now, result=result[:255])
            )
        return bool(changed.rowcount)

    def _read(self, query: Select[Any]) -> list[RunRequest]:
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            RunRequest(
                id=row["id"],
                source=row["source"],
                requested_at=_utc(row["requested_at"]),
                done_at=_utc(row["done_at"]) if row["done_at"] is not None else None,
                result=row["result"],
            )
            for row in rows
        ]


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything written here is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class RequestDesk:
    """Applies pending run requests to the running scheduler with public calls only."""

    def __init__(self, scheduler: BaseScheduler, requests: RunRequests) -> None:
        self.scheduler = scheduler
        self.requests = requests
        self._in_flight: Counter[str] = Counter()  # submitted minus ended, per source
        self._started: dict[str, datetime] = {}  # each source's latest crawl start
        self._made_due: set[str] = set()  # sources whose next crawl answers a request
        self._lock = threading.Lock()

    def on_event(self, event: SchedulerEvent) -> None:
        """Count a source's crawls in flight (events may arrive from several threads)."""
        source = source_of(getattr(event, "job_id", ""))
        if source is None:
            return
        with self._lock:
            self._in_flight[source] += 1 if event.code == EVENT_JOB_SUBMITTED else -1

    def crawl_started(self, source: str, when: datetime) -> bool:
        """Note a crawl's start; True when it answers a run request (its line is logged)."""
        with self._lock:
            self._started[source] = when
            if source in self._made_due:
                self._made_due.discard(source)
                return True
        return False

    def apply_pending(self, now: datetime) -> None:
        """Make each pending request's source due, or mark it answered by a crawl since."""
        for request in self.requests.pending():
            with self._lock:
                busy = self._in_flight[request.source] > 0
                started = self._started.get(request.source)
            if started is not None and started >= request.requested_at:
                self._done(request, now, f"answered by the crawl started {isoformat_utc(started)}")
            elif not busy:
                self._apply(request, now)

    def _apply(self, request: RunRequest, now: datetime) -> None:
        try:
            self.scheduler.modify_job(job_id(request.source), next_run_time=now)
        except JobLookupError:
            logger.warning(
                "source %s: run requested at %s, but the service has no job for it; "
                "restart the service to apply the config",
                request.source,
                isoformat_utc(request.requested_at),
            )
            self._done(request, now, "no job for this source in the running service")
            return
        with self._lock:
            self._made_due.add(request.source)
        logger.info(
            "source %s: run requested at %s: due now",
            request.source,
            isoformat_utc(request.requested_at),
        )
        self._done(request, now, "made due")

    def _done(self, request: RunRequest, now: datetime, result: str) -> None:
        self.requests.done(request.id, now, result)
