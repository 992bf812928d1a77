"""The scheduler's stop: no more dispatching, running crawls waited for, waiting turns given back.

A first signal stops the scheduler from starting turns. In queue mode the
runner then takes back every job no worker has started (its turn goes back to
the schedule: recorded as skipped and due again at the next start), and waits
for the crawls that actually run on workers, each up to its time limit. In
embedded mode every crawl in flight is a running process, waited for as before.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import TYPE_CHECKING

from apscheduler.jobstores.base import JobLookupError

from scheduler.jobstore import job_id
from scheduler.runner import RunSkipped

if TYPE_CHECKING:
    from datetime import datetime

    from apscheduler.jobstores.base import BaseJobStore

    from scheduler.runner import Runner

logger = logging.getLogger(__name__)


class TurnReturned(RunSkipped):
    """The turn never started (stopping before a worker took it): it goes back to the schedule."""


def begin(runner: Runner, in_flight: int) -> None:
    """Tell the runner the stop began; log what is waited for, counting only what runs."""
    drain = getattr(runner, "drain", None)
    running = drain() if drain is not None else in_flight
    if running:
        logger.info("stopping: waiting for %d running crawl(s) to finish", running)
    if in_flight > running:
        logger.info(
            "stopping: %d queued turn(s) not started go back to the schedule",
            in_flight - running,
        )


def return_turn(store: BaseJobStore, source: str, now: datetime) -> None:
    """Make the source due now in the job store: the next start runs the turn it lost.

    Written to the store itself: the scheduler, already shut down, no longer
    looks its jobs up (APScheduler 3.x `_lookup_job` when stopped).
    """
    job = store.lookup_job(job_id(source))
    if job is None:
        return
    job.next_run_time = now
    with suppress(JobLookupError):
        store.update_job(job)
