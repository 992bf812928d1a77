"""What a finished or skipped run changes: the run history, the totals, the source's interval."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
        source.every or config.scheduler.default_every, config.scheduler
    )


def effective_every(config: Config, source: Source, record: SourceRecord | None) -> float | None:
    """Seconds between runs given the stored state; None for a cron source (fixed times)."""
    if source.cron:
        return None
    policy = policy_for(config, source)
    if record is None or record.base != policy.base:
        return policy.base  # never run, or the configured interval changed since
    return policy.effective(SourceState(record.every, record.failures))


class Ledger:
    def __init__(self, config: Config, state: StateStore, backend: RunHistory) -> None:
        self.config = config
        self.state = state
        self.backend = backend

    def current(self, source: Source) -> tuple[IntervalPolicy, SourceState]:
        """The source's policy and state; a changed configured interval starts afresh."""
        policy = policy_for(self.config, source)
        record = self.state.ensure(source.name, policy.base)
        return policy, SourceState(record.every, record.failures)

    def effective(self, source: Source) -> float | None:
        """Seconds between runs now; None for a cron source (its times are fixed)."""
        policy = policy_for(self.config, source)
        return effective_every(self.config, source, self.state.ensure(source.name, policy.base))

    def record(self, source: Source, result: CrawlResult) -> Entry:
        policy, before = self.current(source)
        after = policy.after_run(before, result.outcome, result.summary or {})
        stories_new = int((result.summary or {}).get("stories_new") or 0)
        self.state.count(source.name, result.outcome, stories_new, after)
        every_before = None if source.cron else policy.effective(before)
        every_after = None if source.cron else policy.effective(after)
        run = history.run_record(result, every=every_after, failures=after.failures)
        history.store(self.backend, run)
        if every_after != every_before:
            logger.info(
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
        run = history.skipped_record(source, when, reason)
        history.store(self.backend, run)
        return run
