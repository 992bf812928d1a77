"""Adaptive polling, as Media Cloud does it: poll a source as often as it has news.

A run that finds mostly already-seen stories lengthens the source's interval,
one that finds mostly new stories shortens it, within the configured bounds.
Consecutive failures double the interval (capped by the upper bound) and the
first success resets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import timedelta

    from crawler.config.schema import SchedulerConfig

SLOWER = 1.5  # a run that found mostly already-seen stories
FASTER = 0.75  # a run that found mostly new stories
BACKOFF = 2.0  # per consecutive failure
MOSTLY_NEW = 0.5  # share of fresh items above which a source is polled more often
MOSTLY_SEEN = 0.2  # share below which it is polled less often
FAILED_OUTCOMES = frozenset({"failed", "timed_out"})


@dataclass(frozen=True)
class SourceState:
    """What the policy remembers of a source between runs."""

    every: float  # seconds, before the failure backoff
    failures: int = 0  # consecutive failed or timed-out runs


def fresh_share(stats: dict[str, Any]) -> float:
    """New, updated and newly syndicated stories over everything the run looked at."""
    fresh = sum(int(stats.get(k) or 0) for k in ("stories_new", "stories_updated", "copies_merged"))
    stale = sum(int(stats.get(k) or 0) for k in ("seen_skipped", "unchanged"))
    return fresh / (fresh + stale) if fresh + stale else 0.0


@dataclass(frozen=True)
class IntervalPolicy:
    """The interval rules for one source whose configured interval is `base` seconds."""

    base: float
    lower: float
    upper: float

    @classmethod
    def for_source(cls, base: timedelta, config: SchedulerConfig) -> IntervalPolicy:
        seconds = base.total_seconds()
        # The configured interval itself is always allowed, even outside the bounds.
        return cls(
            seconds,
            min(config.min_every.total_seconds(), seconds),
            max(config.max_every.total_seconds(), seconds),
        )

    def initial(self) -> SourceState:
        return SourceState(self.base)

    def clamp(self, seconds: float) -> float:
        return min(max(seconds, self.lower), self.upper)

    def effective(self, state: SourceState) -> float:
        """The interval to schedule: the adaptive one with the failure backoff applied."""
        return self.clamp(state.every * BACKOFF ** min(state.failures, 32))

    def after_run(self, state: SourceState, outcome: str, stats: dict[str, Any]) -> SourceState:
        if outcome in FAILED_OUTCOMES:
            return SourceState(state.every, state.failures + 1)
        if outcome != "ok":  # skipped: nothing was learned
            return state
        share = fresh_share(stats)
        factor = FASTER if share > MOSTLY_NEW else SLOWER if share < MOSTLY_SEEN else 1.0
        return SourceState(self.clamp(state.every * factor), 0)
