"""What a finished or skipped run changes: the run history, the totals, the source's interval."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crawler.base.time import isoformat_utc
from scheduler import history
from scheduler.adaptive import IntervalPolicy, SourceState

if TYPE_CHECKING:
    from datetime import datetime

    from crawler.config import Config, Source
    from crawler.index.run_history import RunHistory
    from scheduler.runner import CrawlResult
    from scheduler.state import SourceRecord, StateStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    run: dict[str, Any]
    every_before: float | None  # the effective interval in seconds; None for cron sources
    every_after: float | None


def policy_for(config: Config, source: Source) -> IntervalPolicy:
    return IntervalPolicy.for_source(
        source.every or config.scheduler.default_every, config.scheduler, source
    )


def state_of(record: SourceRecord) -> SourceState:
    return SourceState(
        record.every,
        record.failures,
        record.http_floor,
        record.feed_floor,
        record.retry_after,
        record.paused,
    )


def effective_every(config: Config, source: Source, record: SourceRecord | None) -> float | None:
    """Seconds between runs given the stored state; None for a cron source (fixed times)."""
    if source.cron:
        return None
    policy = policy_for(config, source)
    if record is None or record.base != policy.base:
        return policy.base  # never run, or the configured interval changed since
    return policy.effective(state_of(record))


class Ledger:
    def __init__(self, config: Config, state: StateStore, backend: RunHistory) -> None:
        self.config = config
        self.state = state
        self.backend = backend

    def current(self, source: Source) -> tuple[IntervalPolicy, SourceState]:
        """The source's policy and state; a changed configured interval starts afresh."""
        policy = policy_for(self.config, source)
        record = self.state.ensure(source.name, policy.base)
        return policy, state_of(record)

    def effective(self, source: Source) -> float | None:
        """Seconds between runs now; None for a cron source (its times are fixed)."""
        policy = policy_for(self.config, source)
        return effective_every(self.config, source, self.state.ensure(source.name, policy.base))

    def record(self, source: Source, result: CrawlResult) -> Entry:
        policy, before = self.current(source)
        record = self.state.get(source.name)
        after = policy.after_run(before, result.outcome, result.summary or {}, result.error)
        stories_new = result.summary.get("stories_new", 0) if result.summary else 0
        self.state.count(source.name, result.outcome, stories_new, after)
        # Against the interval the job has now (a resume changes the state, not the job).
        scheduled = record.scheduled if record is not None else None
        every_before = None if source.cron else (scheduled or policy.effective(before))
        every_after = None if source.cron else policy.effective(after)
        started = isoformat_utc(result.started)
        paused_at = record.paused_at if record and record.paused_at else started
        self.state.last_run(
            source.name,
            started,
            result.outcome,
            result.error,
            scheduled=every_after,
            paused_at=paused_at if after.paused else None,
            hints=result.summary.get("hints") if result.summary else None,
        )
        run = history.run_record(result, every=every_after, failures=after.failures)
        history.store(self.backend, run)
        self._log_change(source.name, before, after)
        if every_after != every_before:
            logger.debug(
                "source %s: interval %ss -> %ss (%s, %d consecutive failures)",
                source.name,
                every_before,
                every_after,
                result.outcome,
                after.failures,
            )
        return Entry(run, every_before, every_after)

    def skip(self, source: str, when: datetime, reason: str) -> dict[str, Any]:
        logger.warning("source %s: run skipped: %s", source, reason)
        self.state.count(source, "skipped")
        self.state.last_run(source, isoformat_utc(when), "skipped", reason)
        run = history.skipped_record(source, when, reason)
        history.store(self.backend, run)
        return run

    def _log_change(self, source: str, before: SourceState, after: SourceState) -> None:
        """The events an operator acts on: a source paused, or answering again."""
        if after.paused and not before.paused:
            logger.warning("source %s: paused: %s", source, after.paused)
        elif before.paused and not after.paused:
            logger.info("source %s: answers again, resumed", source)
